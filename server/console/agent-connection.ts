import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { io, type Socket } from 'socket.io-client'
import {
  AGENT_NAMESPACE,
  type AgentConnectedData,
  type AgentEvents,
  type AgentRequests,
  DEFAULT_SOCKET_PATH,
  type WireError,
} from '../../src/protocol.ts'

/**
 * Where the connection is:
 * - `signed-out`: no token yet;
 * - `connecting`: first connect and `agent.connect` under way;
 * - `ready`: `agent.connect` answered, `data` is fresh;
 * - `reconnecting`: the socket dropped; socket.io retries by itself;
 * - `refused`: the server refused the token (or the socket for good); see `error`.
 */
export type ConnectionState = 'signed-out' | 'connecting' | 'ready' | 'reconnecting' | 'refused'

/** An ack error from the server, as an `Error` with the wire fields. */
export class RequestError extends Error {
  readonly code: number | undefined
  readonly type: string | undefined
  readonly event: string | undefined

  constructor(error: WireError) {
    super(error.message)
    this.name = 'RequestError'
    this.code = error.code
    this.type = error.type
    this.event = error.event
  }
}

type Listener<K extends keyof AgentEvents> = (data: AgentEvents[K]) => void

/** Milliseconds to wait for an acknowledgement before a request fails. */
const REQUEST_TIMEOUT = 15_000

/**
 * The console's one socket.io connection to the agent namespace, as a controller of the app
 * element: it connects when given a token, re-runs `agent.connect` after every (re)connect,
 * and asks the host to render whenever `state` or `data` change.
 */
export class AgentConnection implements ReactiveController {
  state: ConnectionState = 'signed-out'
  /** The latest answer of `agent.connect` (refreshed on every reconnect). */
  data: AgentConnectedData | null = null
  /** Why the connection was refused, for the sign-in form. */
  error: string | null = null

  private readonly host: ReactiveControllerHost
  private readonly url: string
  private socket: Socket | null = null
  private readonly readyListeners = new Set<(data: AgentConnectedData) => void>()

  constructor(host: ReactiveControllerHost, url = location.origin) {
    this.host = host
    this.url = url
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close()
  }

  /** Connects with an agent token (closing any previous connection). */
  open(token: string): void {
    this.close()
    this.error = null
    this.setState('connecting')
    const socket = io(`${this.url}${AGENT_NAMESPACE}`, {
      path: DEFAULT_SOCKET_PATH,
      auth: { token },
      forceNew: true,
    })
    this.socket = socket
    socket.on('connect', () => void this.initialize())
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return // our own close() or refuse()
      // `socket.active` is false when the server closed the socket on purpose: no retry.
      if (socket.active) this.setState('reconnecting')
      else this.refuse('The server closed the connection.')
    })
    socket.on('connect_error', (error) => {
      if (socket.active) {
        if (this.state === 'ready') this.setState('reconnecting')
      } else {
        this.refuse(error.message || 'The server refused the token.')
      }
    })
  }

  /** Closes the connection and forgets its data. */
  close(): void {
    // Every listener of this socket goes with it (ours and those added through `on()`).
    this.socket?.off()
    this.socket?.disconnect()
    this.socket = null
    this.data = null
    this.setState('signed-out')
  }

  /** Sends a request and resolves with the server's answer (rejects with a `RequestError`). */
  request<K extends keyof AgentRequests>(
    event: K,
    payload: AgentRequests[K][0],
  ): Promise<AgentRequests[K][1]> {
    const socket = this.socket
    if (!socket) return Promise.reject(new Error('Not connected'))
    return new Promise((resolve, reject) => {
      socket
        .timeout(REQUEST_TIMEOUT)
        .emit(event, payload, (timeout: Error | null, error: WireError | null, result: unknown) => {
          if (timeout) reject(new Error(`No answer to ${event}`))
          else if (error) reject(new RequestError(error))
          else resolve(result as AgentRequests[K][1])
        })
    })
  }

  /** Listens to a server event until the returned function is called. */
  on<K extends keyof AgentEvents>(event: K, listener: Listener<K>): () => void {
    const socket = this.socket
    if (!socket) return () => {}
    socket.on(event as string, listener)
    return () => socket.off(event as string, listener)
  }

  /** Calls `listener` after each successful `agent.connect` (first connect and reconnects). */
  onReady(listener: (data: AgentConnectedData) => void): () => void {
    this.readyListeners.add(listener)
    return () => this.readyListeners.delete(listener)
  }

  /** Runs the handshake; on every reconnect too, so the lists are refreshed. */
  private async initialize(): Promise<void> {
    try {
      const data = await this.request('agent.connect', null)
      this.data = data
      this.setState('ready')
      for (const listener of this.readyListeners) listener(data)
    } catch (error) {
      if (error instanceof RequestError && (error.type === 'auth_error' || error.code === 403)) {
        this.refuse(error.message)
        this.socket?.disconnect()
      } else if (this.socket?.connected) {
        // A failed handshake on a live socket: drop it and let socket.io reconnect.
        this.socket.io.engine.close()
      }
    }
  }

  private refuse(message: string): void {
    this.error = message
    this.setState('refused')
  }

  private setState(state: ConnectionState): void {
    this.state = state
    this.host.requestUpdate()
  }
}
