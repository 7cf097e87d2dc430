/**
 * File uploads: a single-use token from `chat.upload_init`, the bytes by HTTP POST
 * (server/http/upload.ts), then `chat.upload_finish` turns the stored file into an
 * attachment. The type is sniffed from the bytes, never trusted from the client.
 * Visitors and agents share this path; a token is bound to whoever asked for it.
 */
import { open, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileTypeFromFile } from 'file-type'
import type { Attachment, ChatUploadInitResult } from '../src/protocol.ts'
import type { BlobStore } from './cluster/blobs.ts'
import type { ServerConfig } from './config.ts'
import { conflict, notFound, WireFailure } from './gateways/handler.ts'
import { newId } from './ids.ts'
import type { Storage, StoredFile, UploadRecord } from './storage/types.ts'
import { makeThumbnail } from './thumbnails.ts'

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

/**
 * Who may finish an upload. A visitor's: `agentId` and `chatId` null (the file goes to
 * whatever chat is open at finish). An agent's: that agent, into that one chat.
 */
export interface UploadOwner {
  accountId: string
  visitorId: string
  agentId: string | null
  chatId: string | null
}

/** `UPLOADS_DIR`, else `DATA_DIR/uploads`. */
export const uploadsDirOf = (config: ServerConfig): string =>
  config.uploadsDir ?? join(config.dataDir, 'uploads')

export class Uploads {
  /** Where uploads are received and thumbnailed before they go to the blob store. */
  readonly dir: string

  /** `blobs` holds the finished files and thumbnails (shared by every node). */
  constructor(
    private readonly storage: Storage,
    private readonly config: ServerConfig,
    readonly blobs: BlobStore,
  ) {
    this.dir = uploadsDirOf(config)
  }

  /** Creates a token bound to `owner`; `baseUrl` is the origin the client reached us on. */
  async init(owner: UploadOwner, baseUrl: string): Promise<ChatUploadInitResult> {
    const token = newId(24)
    await this.storage.createUpload({
      token,
      ...owner,
      expiresAt: new Date(Date.now() + this.config.uploadTokenTtlMs).toISOString(),
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

  /** A fresh temporary path inside the uploads folder (same disk as the default blob store, so storing it is a `rename`). */
  tempPath(): string {
    return join(this.dir, `.tmp-${newId()}`)
  }

  /**
   * Checks a fully received temporary file and files it under the token. Deletes the
   * temporary file on every refusal, so nothing half-stored is left.
   */
  async accept(token: string, tmp: string, declared: { name: string; type: string; size: number }) {
    const thumbTmp = this.tempPath()
    try {
      const type = await this.sniff(tmp, declared.type)
      if (!type || !this.allowed(type))
        throw new UploadError(415, `File type not allowed: ${type ?? declared.type ?? 'unknown'}`)
      const id = newId()
      // Made now, at upload time, so `upload_finish` stays quick.
      const image = INLINE_TYPES.has(type) ? await makeThumbnail(tmp, thumbTmp, type) : null
      if (image) await this.blobs.put(thumbKey(id), thumbTmp)
      const file: StoredFile = {
        id,
        name: safeName(declared.name),
        type,
        size: declared.size,
        width: image?.width ?? null,
        height: image?.height ?? null,
        thumb: image?.thumb ?? null,
      }
      await this.blobs.put(file.id, tmp)
      if (!(await this.storage.attachFile(token, file))) {
        await this.remove(file.id)
        throw new UploadError(409, 'Upload token already used')
      }
      return file
    } finally {
      await rm(tmp, { force: true })
      await rm(thumbTmp, { force: true })
    }
  }

  /** `chat.upload_finish`: the token's file as an attachment (once, by its owner). */
  async finish(owner: UploadOwner, token: string, baseUrl: string): Promise<Attachment> {
    const upload = await this.storage.getUpload(token)
    if (!upload || !ownedBy(upload, owner)) throw notFound('Upload')
    if (upload.state === 'pending')
      throw new WireFailure('File was not uploaded yet', 409, 'conflict')
    const used = await this.storage.consumeUpload(token)
    if (!used?.file) throw conflict('Upload token already used')
    return attachmentOf(used.file, baseUrl)
  }

  /** The attachment a token of `owner` holds (any state after the POST), else null. */
  async attachmentFor(
    owner: UploadOwner,
    token: string,
    baseUrl: string,
  ): Promise<Attachment | null> {
    const upload = await this.storage.getUpload(token)
    if (!upload?.file || !ownedBy(upload, owner)) return null
    return attachmentOf(upload.file, baseUrl)
  }

  /** Removes files and their thumbnails from the blob store (those of a deleted chat). */
  async removeFiles(fileIds: string[]): Promise<void> {
    for (const fileId of fileIds) await this.remove(fileId)
  }

  private async remove(fileId: string): Promise<void> {
    await this.blobs.delete(fileId)
    await this.blobs.delete(thumbKey(fileId))
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

/** The blob key of a file's thumbnail (the file itself is keyed by its id). */
export const thumbKey = (fileId: string): string => `${fileId}.thumb`

function ownedBy(upload: UploadRecord, owner: UploadOwner): boolean {
  return (
    upload.accountId === owner.accountId &&
    upload.visitorId === owner.visitorId &&
    (upload.agentId ?? null) === owner.agentId &&
    (upload.chatId ?? null) === owner.chatId
  )
}

/** The wire attachment of a stored file; an image sharp could not decode is a plain file. */
export function attachmentOf(file: StoredFile, baseUrl: string): Attachment {
  const expireAt = new Date(Date.now() + FILE_EXPIRY_MS).toISOString()
  const isImage = INLINE_TYPES.has(file.type) && file.width !== null
  const attachment: Attachment = {
    type: isImage ? 'image' : 'file',
    fileName: file.name,
    fileType: file.type,
    url: `${baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`,
    expireAt,
    size: file.size,
    width: file.width,
    height: file.height,
  }
  if (file.thumb) {
    const ext = file.thumb.type === 'image/jpeg' ? 'jpg' : 'webp'
    attachment.thumb400 = {
      url: `${baseUrl}/thumbs/${file.id}/thumb400.${ext}`,
      expireAt,
      width: file.thumb.width,
      height: file.thumb.height,
    }
  }
  return attachment
}

/** A display name without paths or control characters. */
function safeName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '')
  return clean.slice(0, 200) || 'file'
}
