/**
 * `POST /upload/:token`: one multipart part named `file`, streamed to a temporary file
 * (busboy enforces the size limit while streaming), then checked and filed by `Uploads`.
 * CORS reflects the Origin: the widget posts from the host site's page.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import type { Logger } from '../logger.ts'
import { UploadError, type Uploads } from '../uploads.ts'
import { sendError, sendJson } from './respond.ts'

/** Room for multipart headers and boundaries around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  uploads: Uploads,
  maxBytes: number,
  log: Logger,
): Promise<void> {
  const origin = req.headers.origin
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '600',
    })
    res.end()
    return
  }
  if (req.method !== 'POST') return refuse(res, new UploadError(405, 'Use POST'))
  try {
    await uploads.pending(token)
    if (!req.headers['content-type']?.startsWith('multipart/form-data'))
      throw new UploadError(400, 'Expected multipart/form-data with a part named "file"')
    const length = Number(req.headers['content-length'] ?? 0)
    if (length > maxBytes + MULTIPART_OVERHEAD) {
      // Far over the limit: refuse before reading and do not keep the connection.
      res.setHeader('Connection', 'close')
      throw new UploadError(413, `File too large (max ${maxBytes} bytes)`)
    }
    const received = await receive(req, uploads, maxBytes)
    const file = await uploads.accept(token, received.tmp, received)
    log.info({ token: token.slice(0, 6), type: file.type, size: file.size }, 'file uploaded')
    sendJson(res, 201, { ok: true, file: { name: file.name, type: file.type, size: file.size } })
  } catch (err) {
    if (!(err instanceof UploadError)) log.error({ err }, 'upload failed')
    refuse(res, err instanceof UploadError ? err : new UploadError(400, 'Malformed upload'))
  }
}

function refuse(res: ServerResponse, err: UploadError): void {
  if (res.headersSent) return
  sendError(res, err.status, err.message)
}

interface Received {
  tmp: string
  name: string
  type: string
  size: number
}

/** Streams the `file` part to disk; rejects (with the temp file removed) on any problem. */
async function receive(
  req: IncomingMessage,
  uploads: Uploads,
  maxBytes: number,
): Promise<Received> {
  await mkdir(uploads.dir, { recursive: true })
  const tmp = uploads.tempPath()
  let writing: Promise<void> | null = null
  let tooLarge = false
  let meta = { name: 'file', type: 'application/octet-stream' }
  let size = 0
  try {
    const parser = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 12 },
    })
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || writing) {
        stream.resume()
        return
      }
      meta = { name: info.filename ?? 'file', type: info.mimeType }
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
      })
      stream.on('limit', () => {
        tooLarge = true
      })
      writing = pipeline(stream, createWriteStream(tmp))
      // Awaited below unless the form breaks first; unhandled, that rejection would
      // take the whole process down (Node exits on an unhandled rejection).
      writing.catch(() => {})
    })
    await pipeline(req, parser).catch((err: unknown) => {
      // busboy's "Malformed part header", "Unexpected end of form", a client abort...
      throw new UploadError(400, `Malformed upload: ${(err as Error).message}`)
    })
    if (!writing) throw new UploadError(400, 'Expected a multipart part named "file"')
    await writing
    if (tooLarge) throw new UploadError(413, `File too large (max ${maxBytes} bytes)`)
    if (size === 0) throw new UploadError(400, 'Empty file')
    return { tmp, ...meta, size }
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
