/**
 * The one wrapper every socket request goes through: find the ack, validate the payload,
 * run the handler, answer Node-style. Requests of one socket run one after another so
 * `visitor.connect` finishes before what the client sent right after it; a handler whose
 * order is fixed before it finishes (a message queued for its commit) may let the next one
 * start then (`RouteContext.release`).
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

export interface RouteOptions {
  /** Throws (e.g. `notInitialized()`) when the socket may not send this event yet. */
  guard?: () => void
  /** A pure query: without an ack there is nobody to answer, so it is not run at all. */
  needsAck?: boolean
}

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

/** Registers `event` on `socket`: payload checked by `schema`, result sent by ack. */
export function route<S extends v.GenericSchema>(
  socket: Socket,
  log: Logger,
  event: string,
  schema: S,
  run: (input: v.InferOutput<S>, context: RouteContext) => unknown | Promise<unknown>,
  options: RouteOptions = {},
): void {
  socket.on(event, (...args: unknown[]) => {
    // The ack is the last function argument; the official client sends
    // `chat.read` as `(null)` and older builds may pad with `undefined`.
    const ackIndex = args.findLastIndex((arg) => typeof arg === 'function')
    const ack = ackIndex >= 0 ? (args[ackIndex] as AckFn) : null
    const payload = ackIndex === 0 ? undefined : args[0]
    if (!ack && options.needsAck) return
    enqueue(socket, (release) =>
      handle(socket, log, event, schema, run, options, payload, ack, { release }),
    )
  })
}

async function handle<S extends v.GenericSchema>(
  socket: Socket,
  log: Logger,
  event: string,
  schema: S,
  run: (input: v.InferOutput<S>, context: RouteContext) => unknown,
  options: RouteOptions,
  payload: unknown,
  ack: AckFn | null,
  context: RouteContext,
): Promise<void> {
  try {
    options.guard?.()
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

/** "Invalid payload: content.text: Invalid length: ..." — the first few issues, with paths. */
/** A payload that is only too long is `too_large` (413); anything else is malformed (400). */
function refusal(issues: readonly v.BaseIssue<unknown>[]): WireFailure {
  const tooLong = issues.every((issue) => issue.type === 'max_length' || issue.type === 'max_size')
  return tooLong
    ? new WireFailure(describeIssues(issues), 413, 'too_large')
    : invalid(describeIssues(issues))
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  return `Invalid payload: ${parts.join('; ')}`
}
