/**
 * One write to the network per connection per turn of the event loop, instead of one per packet.
 *
 * Engine.IO sends each packet the moment it is emitted, and the `ws` library writes each frame
 * with a system call of its own: a visitor's message cost its tab two writes (the echo of
 * `chat.message_received`, then the ack) and the agent one per message of a group commit.
 * Those writes were the largest single item of the server's CPU profile under load
 * (`BENCH_PROFILE`, README "Benchmarks"): about three per message, now fewer than one.
 *
 * Here a connection's packets of one turn are flushed together once that turn's work is done
 * (`process.nextTick`), and a WebSocket's frames of one flush leave in one write (the TCP
 * socket is corked around them). Order and acknowledgements are Engine.IO's own: only when the
 * flush happens moves.
 */
import type { Server } from 'socket.io'

/** What this module touches of an Engine.IO connection (engine.io 6: its `Socket` class). */
interface EngineConnection {
  flush(): void
  transport: { name: string; socket?: { _socket?: Partial<CorkableSocket> } }
}

interface CorkableSocket {
  cork(): void
  uncork(): void
}

/** Defers every flush of each new connection of `io` to the end of the current turn. */
export function coalesceWrites(io: Server): void {
  io.engine.on('connection', (connection: EngineConnection) => {
    // Shared functions, no closure per connection: 10,000 idle sockets multiply each one.
    connection.flush = deferredFlush
  })
}

/** Connections whose flush waits for the end of this turn. */
const queued = new WeakSet<EngineConnection>()

function deferredFlush(this: EngineConnection): void {
  if (queued.has(this)) return
  queued.add(this)
  process.nextTick(flushNow, this)
}

function flushNow(connection: EngineConnection): void {
  queued.delete(connection)
  const tcp = corkable(connection)
  tcp?.cork()
  try {
    // Engine.IO's own flush (its class's method): sends the buffer if the transport can take it.
    Object.getPrototypeOf(connection).flush.call(connection)
  } finally {
    tcp?.uncork()
  }
}

/** The TCP socket under a WebSocket transport (`ws` keeps it as `_socket`); none for polling. */
function corkable(connection: EngineConnection): CorkableSocket | null {
  const { transport } = connection
  if (transport.name !== 'websocket') return null
  const tcp = transport.socket?._socket
  return typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function'
    ? (tcp as CorkableSocket)
    : null
}
