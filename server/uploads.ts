/**
 * File uploads: a single-use token from `chat.upload_init`, the bytes by HTTP POST
 * (server/http/upload.ts), then `chat.upload_finish` turns the stored file into an
 * attachment. The type is sniffed from the bytes, never trusted from the client.
 */
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileTypeFromFile } from 'file-type'
import { imageSize } from 'image-size'
import type { Attachment, ChatUploadInitResult } from '../src/protocol.ts'
import type { ServerConfig } from './config.ts'
import { conflict, notFound, WireFailure } from './gateways/handler.ts'
import { newId } from './ids.ts'
import type { Storage, StoredFile, UploadRecord, VisitorRecord } from './storage/types.ts'

export const UPLOAD_TTL_MS = 10 * 60 * 1000
/** Files do not expire yet; `expireAt` is required on the wire, so it says "a year". */
const FILE_EXPIRY_MS = 365 * 24 * 60 * 60 * 1000
/** Served `inline`; every other type is a download. */
export const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** An HTTP-level refusal of an upload. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export class Uploads {
  readonly dir: string

  constructor(
    private readonly storage: Storage,
    private readonly config: ServerConfig,
  ) {
    this.dir = join(config.dataDir, 'uploads')
  }

  /** Creates a token bound to the visitor; `baseUrl` is the origin the client reached us on. */
  async init(visitor: VisitorRecord, baseUrl: string): Promise<ChatUploadInitResult> {
    const token = newId(24)
    await this.storage.createUpload({
      token,
      accountId: visitor.accountId,
      visitorId: visitor.id,
      expiresAt: new Date(Date.now() + UPLOAD_TTL_MS).toISOString(),
      state: 'pending',
      file: null,
    })
    return { url: `${baseUrl}/upload/${token}`, token }
  }

  /** The upload a POST may fill, or an HTTP error. */
  async pending(token: string): Promise<UploadRecord> {
    const upload = await this.storage.getUpload(token)
    if (!upload) throw new UploadError(404, 'Unknown upload token')
    if (upload.state !== 'pending') throw new UploadError(409, 'Upload token already used')
    if (Date.parse(upload.expiresAt) < Date.now())
      throw new UploadError(410, 'Upload token expired')
    return upload
  }

  /** A fresh temporary path inside the uploads folder (same disk, so `rename` is atomic). */
  tempPath(): string {
    return join(this.dir, `.tmp-${newId()}`)
  }

  /**
   * Checks a fully received temporary file and files it under the token. Deletes the
   * temporary file on every refusal, so nothing half-stored is left.
   */
  async accept(token: string, tmp: string, declared: { name: string; type: string; size: number }) {
    try {
      const type = await this.sniff(tmp, declared.type)
      if (!type || !this.allowed(type))
        throw new UploadError(415, `File type not allowed: ${type ?? declared.type ?? 'unknown'}`)
      const size = INLINE_TYPES.has(type) ? dimensions(await readFile(tmp)) : null
      const file: StoredFile = {
        id: newId(),
        name: safeName(declared.name),
        type,
        size: declared.size,
        width: size?.width ?? null,
        height: size?.height ?? null,
      }
      await rename(tmp, this.pathOf(file.id))
      if (!(await this.storage.attachFile(token, file))) {
        await rm(this.pathOf(file.id), { force: true })
        throw new UploadError(409, 'Upload token already used')
      }
      return file
    } finally {
      await rm(tmp, { force: true })
    }
  }

  /** `chat.upload_finish`: the token's file as an attachment (once, by the same visitor). */
  async finish(visitor: VisitorRecord, token: string, baseUrl: string): Promise<Attachment> {
    const upload = await this.storage.getUpload(token)
    if (!upload || upload.visitorId !== visitor.id) throw notFound('Upload')
    if (upload.state === 'pending')
      throw new WireFailure('File was not uploaded yet', 409, 'conflict')
    const used = await this.storage.consumeUpload(token)
    if (!used?.file) throw conflict('Upload token already used')
    const file = used.file
    return {
      type: INLINE_TYPES.has(file.type) ? 'image' : 'file',
      fileName: file.name,
      fileType: file.type,
      url: `${baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`,
      expireAt: new Date(Date.now() + FILE_EXPIRY_MS).toISOString(),
      size: file.size,
      width: file.width,
      height: file.height,
    }
  }

  pathOf(fileId: string): string {
    return join(this.dir, basename(fileId))
  }

  private allowed(type: string): boolean {
    return this.config.uploadTypes.some(
      (allowed) =>
        allowed === type || (allowed.endsWith('/*') && type.startsWith(allowed.slice(0, -1))),
    )
  }

  /** The sniffed type; the declared one only for text-like files (no magic bytes, no NULs). */
  private async sniff(path: string, declared: string): Promise<string | null> {
    const found = await fileTypeFromFile(path)
    if (found) return found.mime
    const base = declared.split(';')[0]!.trim().toLowerCase()
    if (!base.startsWith('text/')) return null
    return (await looksLikeText(path)) ? base : null
  }
}

async function looksLikeText(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(8192)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return !buffer.subarray(0, bytesRead).includes(0)
  } finally {
    await handle.close()
  }
}

function dimensions(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(bytes)
    return { width, height }
  } catch {
    return null
  }
}

/** A display name without paths or control characters. */
function safeName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '')
  return clean.slice(0, 200) || 'file'
}
