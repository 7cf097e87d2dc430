/** Structured logs (pino, one JSON line per event); `LOG_LEVEL=silent` quiets them in tests. */
import pino from 'pino'

export type Logger = pino.Logger

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'chat-server' } })
}
