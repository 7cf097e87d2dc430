/**
 * Image thumbnails with sharp: the picture turned upright by its EXIF orientation, at most
 * 400 px on the longest side (never enlarged), without metadata. An image sharp cannot
 * decode gets none: it is still a file, just not shown as a picture.
 */
import { rename, rm } from 'node:fs/promises'
import sharp from 'sharp'
import type { StoredThumb } from './storage/types.ts'

export const THUMB_SIZE = 400
/** Refuse to decode anything larger (a small PNG can claim a gigapixel canvas). */
const MAX_INPUT_PIXELS = 50_000_000

export interface ImageInfo {
  /** Upright size of the original. */
  width: number
  height: number
  thumb: StoredThumb
}

/**
 * Writes the thumbnail of `src` to `dest` (via a temporary file beside it) and returns the
 * sizes, or null when the image cannot be decoded. Never throws for a bad image.
 */
export async function makeThumbnail(
  src: string,
  dest: string,
  type: string,
): Promise<ImageInfo | null> {
  const tmp = `${dest}.tmp`
  try {
    // `failOn: 'error'`: a truncated or corrupt image is refused rather than half drawn.
    const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const }
    const meta = await sharp(src, options).metadata()
    const { width, height } = meta.autoOrient
    // JPEG stays JPEG; PNG, GIF (first frame) and WebP become WebP, which keeps transparency.
    const jpeg = type === 'image/jpeg'
    const pipeline = sharp(src, options)
      .autoOrient()
      .resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: 'inside', withoutEnlargement: true })
    const out = await (jpeg ? pipeline.jpeg({ quality: 80 }) : pipeline.webp({ quality: 80 }))
      // sharp writes no metadata unless asked: EXIF (GPS, camera) is gone from the thumbnail.
      .toFile(tmp)
    await rename(tmp, dest)
    return {
      width,
      height,
      thumb: { width: out.width, height: out.height, type: jpeg ? 'image/jpeg' : 'image/webp' },
    }
  } catch {
    await rm(tmp, { force: true })
    return null
  }
}
