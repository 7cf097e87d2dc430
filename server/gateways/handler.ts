/**
 * The one way every socket request goes (`Router`): find the ack, check the guard (rate
 * limits, initialization), validate the payload, run the handler, answer Node-style.
 * Requests of one socket run one after another so `visitor.connect` finishes before what the
 * client sent right after it; a handler whose order is fixed before it finishes (a message
 * queued for its commit) may let the next one start then (`RouteContext.release`).
 */
import type { Socket } from 'socket.io'
import * as v from 'valibot'
import type { ErrorType, WireError } from '../../src/protocol.ts'
import type { Logger } from '../logger.ts'

/** A failure the client should see as is (anything else becomes a 500). */
export class WireFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly type: ErrorType,
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new WireFailure(`${what} not found`, 404, 'not_found')
export const invalid = (message: string) => new WireFailure(message, 400, 'validation_error')
export const conflict = (message: string) => new WireFailure(message, 409, 'conflict')
export const notInitialized = () => new WireFailure('Connection not initialized', 403, 'auth_error')

type AckFn = (error: WireError | null, result?: unknown) => void

/** What a handler gets besides its payload. */
export interface RouteContext {
  /**
   * Lets this socket's next request start before this one finishes: for when what must
   * happen in order has happened (e.g. the message is queued for storage in send order).
   * Without it the next request waits for this one's end.
   */
  release(): void
}

/** A request handler of a `Router`: gets the socket it came on. */
type SocketHandler<S extends v.GenericSchema> = (
  socket: Socket,
  input: v.InferOutput<S>,
  context: RouteContext,
) => unknown | Promise<unknown>

interface RouterEntry {
  schema: v.GenericSchema
  needsAck: boolean
  guard: ((socket: Socket) => void) | undefined
  run: SocketHandler<v.GenericSchema>
}

/**
 * The events of a namespace, defined once and served on every socket by one shared listener
 * (`attach`): per socket only its state in `socket.data`, not a closure per event (a dozen
 * handlers per socket were 5.5 of the 18 KB of JS heap an idle visitor cost).
 */
export class Router {
  readonly #entries = new Map<string, RouterEntry>()
  /** One function for all sockets: Socket.IO calls `onAny` listeners with the socket as `this`. */
  readonly #listener: (this: Socket, event: string, ...args: unknown[]) => void

  constructor(log: Logger) {
    const entries = this.#entries
    this.#listener = function (event, ...args) {
      const entry = typeof event === 'string' ? entries.get(event) : undefined
      if (!entry) return
      dispatch(
        this,
        log,
        event,
        args,
        entry.schema,
        entry.needsAck,
        entry.guard && (() => entry.guard!(this)),
        (input, context) => entry.run(this, input, context),
      )
    }
  }

  /** Serves `event`: payload checked by `schema`, `guard` first, result sent by ack. */
  on<S extends v.GenericSchema>(
    event: string,
    schema: S,
    run: SocketHandler<S>,
    options: { needsAck?: boolean; guard?: (socket: Socket) => void } = {},
  ): void {
    this.#entries.set(event, {
      schema,
      needsAck: options.needsAck ?? false,
      guard: options.guard,
      run: run as SocketHandler<v.GenericSchema>,
    })
  }

  /** Serves every event of this router on `socket`. */
  attach(socket: Socket): void {
    socket.onAny(this.#listener)
  }
}

/** One request as it arrives: finds the ack, then queues it behind the socket's earlier ones. */
function dispatch(
  socket: Socket,
  log: Logger,
  event: string,
  args: unknown[],
  schema: v.GenericSchema,
  needsAck: boolean,
  guard: (() => void) | undefined,
  run: (input: unknown, context: RouteContext) => unknown,
): void {
  // The ack is the last function argument; the official client sends
  // `chat.read` as `(null)` and older builds may pad with `undefined`.
  const ackIndex = args.findLastIndex((arg) => typeof arg === 'function')
  const ack = ackIndex >= 0 ? (args[ackIndex] as AckFn) : null
  const payload = ackIndex === 0 ? undefined : args[0]
  if (!ack && needsAck) return
  enqueue(socket, (release) =>
    handle(socket, log, event, schema, guard, run, payload, ack, { release }),
  )
}

async function handle(
  socket: Socket,
  log: Logger,
  event: string,
  schema: v.GenericSchema,
  guard: (() => void) | undefined,
  run: (input: unknown, context: RouteContext) => unknown,
  payload: unknown,
  ack: AckFn | null,
  context: RouteContext,
): Promise<void> {
  try {
    guard?.()
    const parsed = v.safeParse(schema, payload)
    if (!parsed.success) throw refusal(parsed.issues)
    const result = await run(parsed.output, context)
    ack?.(null, result ?? undefined)
  } catch (err) {
    const failure =
      err instanceof WireFailure
        ? err
        : new WireFailure('Internal server error', 500, 'server_error')
    if (failure.code >= 500) log.error({ err, event, socket: socket.id }, 'request failed')
    else log.debug({ event, socket: socket.id, error: failure.message }, 'request refused')
    const wire: WireError = {
      message: failure.message,
      code: failure.code,
      type: failure.type,
      event,
    }
    if (ack) ack(wire)
    // Without an ack only auth and server errors are worth telling; bad input is dropped.
    else if (failure.type === 'auth_error' || failure.code >= 500) socket.emit('server.error', wire)
  }
}

/** Per-socket FIFO: a request starts when the one before it has finished or released it. */
function enqueue(socket: Socket, task: (release: () => void) => Promise<void>): void {
  const data = socket.data as { queue?: Promise<void> }
  const previous = data.queue ?? Promise.resolve()
  let release!: () => void
  data.queue = new Promise<void>((resolve) => {
    release = resolve
  })
  // `handle` never rejects; the finally is for a task that never called `release`.
  previous.then(() => task(release).finally(release))
}

/** A payload that is only too long is `too_large` (413); anything else is malformed (400). */
function refusal(issues: readonly v.BaseIssue<unknown>[]): WireFailure {
  const tooLong = issues.every((issue) => issue.type === 'max_length' || issue.type === 'max_size')
  return tooLong
    ? new WireFailure(describeIssues(issues), 413, 'too_large')
    : invalid(describeIssues(issues))
}

/** "Invalid payload: content.text: Invalid length: ..." — the first few issues, with paths. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  return `Invalid payload: ${parts.join('; ')}`
}
