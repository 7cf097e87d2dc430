import type { WireError } from '../protocol.ts'

export interface SocketErrorOptions {
  /** An HTTP-like status: 404 unknown key, 408 timeout, 403 not initialized, … */
  code?: number
  /** A machine-readable kind: `not_found`, `auth_error`, `timeout`, `disconnected`, … */
  type?: string
  /** The event (request) that failed, e.g. `chat.message`. */
  event?: string
  cause?: unknown
}

/**
 * An error from the server (a failed ack or `server.error`), or one the client raises about a
 * request (a timeout, a lost connection, a failed upload).
 */
export class SocketError extends Error {
  code?: number
  type?: string
  event?: string

  constructor(message: string, options: SocketErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SocketError'
    if (options.code !== undefined) this.code = options.code
    if (options.type !== undefined) this.type = options.type
    if (options.event !== undefined) this.event = options.event
  }

  /** Turns the wire error shape into a SocketError; `event` fills in when the server left it out. */
  static from(error: WireError | string | null | undefined, event?: string): SocketError {
    if (typeof error === 'string' || error == null) {
      return new SocketError(error || 'Unknown error', { type: 'server_error', event })
    }
    return new SocketError(error.message || 'Unknown error', {
      code: error.code,
      type: error.type,
      event: error.event ?? event,
    })
  }
}
