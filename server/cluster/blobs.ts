/**
 * Where uploaded files and their thumbnails live, by key (the unguessable file id, or
 * `<id>.thumb`). Every node must see the same blobs: the default is a directory shared
 * by all nodes (`UPLOADS_DIR`: one disk on one machine, or an NFS/EFS mount).
 *
 * An S3-compatible store fits the same four calls (`put` = PutObject from the local
 * file, `get` = GetObject's body stream, `stat` = HeadObject's ContentLength, `delete` =
 * DeleteObject); it is not written yet. Uploads are received and thumbnailed in a local
 * temporary file first, so only finished files ever reach the store.
 */
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import { newId } from '../ids.ts'

export interface BlobStore {
  /** Stores the local file `from` under `key` (moving it when it can); replaces nothing half-written. */
  put(key: string, from: string): Promise<void>
  /** The blob's bytes, or null when there is none. */
  get(key: string): Promise<Readable | null>
  stat(key: string): Promise<{ size: number } | null>
  /** Removes the blob; a missing one is fine. */
  delete(key: string): Promise<void>
}

/** Blobs as files in one directory; keys are file names (path parts are dropped). */
export class FsBlobStore implements BlobStore {
  constructor(readonly dir: string) {}

  async put(key: string, from: string): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const dest = this.pathOf(key)
    try {
      await rename(from, dest)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
      // Another disk (a local temp dir, a network mount): copy beside, then rename.
      const part = join(this.dir, `.part-${newId()}`)
      try {
        await copyFile(from, part)
        await rename(part, dest)
      } finally {
        await rm(part, { force: true })
      }
      await rm(from, { force: true })
    }
  }

  async get(key: string): Promise<Readable | null> {
    if (!(await this.stat(key))) return null
    return createReadStream(this.pathOf(key))
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const info = await stat(this.pathOf(key)).catch(() => null)
    return info?.isFile() ? { size: info.size } : null
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  private pathOf(key: string): string {
    return join(this.dir, basename(key))
  }
}
