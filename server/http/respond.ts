/** Small response helpers for the plain `node:http` routes. */
import type { ServerResponse } from 'node:http'
import type { ErrorType, WireError } from '../../src/protocol.ts'

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
  })
  res.end(data)
}

/** HTTP status → the `type` of a WireError, so HTTP and socket errors read alike. */
const ERROR_TYPES: Record<number, ErrorType> = {
  400: 'validation_error',
  401: 'auth_error',
  403: 'auth_error',
  404: 'not_found',
  409: 'conflict',
  410: 'not_found',
  413: 'too_large',
  415: 'validation_error',
  429: 'rate_limited',
}

/** An HTTP error in the shape of a socket ack error: `{ message, code, type }`. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  const body: WireError = { message, code: status, type: ERROR_TYPES[status] ?? 'server_error' }
  sendJson(res, status, body)
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** An SVG of our own, as an image: `<img>` never runs its scripts, and the CSP forbids them anyway. */
export function sendSvgImage(res: ServerResponse, svg: string): void {
  res.writeHead(200, {
    'Content-Type': 'image/svg+xml',
    'Content-Length': Buffer.byteLength(svg),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'Cache-Control': 'public, max-age=86400',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  })
  res.end(svg)
}
