/**
 * `GET /files/:id/:name`: an uploaded file, byte for byte, with its sniffed type;
 * `GET /thumbs/:id/:name`: its thumbnail (images only). The id is unguessable;
 * `nosniff` and `attachment` keep a browser from running uploads.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { Storage } from '../storage/types.ts'
import { INLINE_TYPES, thumbKey, type Uploads } from '../uploads.ts'
import { sendError } from './respond.ts'

export async function handleFile(
  req: IncomingMessage,
  res: ServerResponse,
  fileId: string,
  storage: Storage,
  uploads: Uploads,
  variant: 'file' | 'thumb' = 'file',
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET')
  const stored = await storage.getFile(fileId)
  const file =
    variant === 'file'
      ? stored
      : stored?.thumb && { name: `thumb400-${stored.name}`, type: stored.thumb.type }
  // From the blob store every node shares: a file uploaded through any node is here.
  const key = variant === 'file' ? fileId : thumbKey(fileId)
  const info = file ? await uploads.blobs.stat(key) : null
  if (!file || !info) return sendError(res, 404, 'File not found')
  const disposition = INLINE_TYPES.has(file.type) ? 'inline' : 'attachment'
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  res.writeHead(200, {
    'Content-Type': file.type,
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, max-age=31536000, immutable',
    // The URL is the credential (unguessable, no cookies): a widget on any site may fetch it.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  })
  if (req.method === 'HEAD') return void res.end()
  const body = await uploads.blobs.get(key)
  if (!body) return void res.destroy()
  await pipeline(body, res)
}
