/**
 * How the conversation shows attachments: images as thumbnails that open full size, other
 * files as a card with name, type, size and a download link. Also the row of a file the agent
 * is still sending.
 */
import { css, html, nothing } from 'lit'
import type { Attachment } from '../../src/protocol.ts'
import { fileSize, safeUrl } from './format.ts'
import { fileIcon } from './icons.ts'

export const attachmentStyles = css`
  .image {
    display: block;
    width: fit-content;
    max-width: min(100%, 20rem);
    line-height: 0;
    border-radius: 10px;
    overflow: hidden;
    border: 1px solid var(--console-border);
    background: var(--console-surface);
  }
  .image img {
    display: block;
    max-width: 100%;
    height: auto;
  }
  .image img:not([width]) {
    max-height: 16rem;
    object-fit: contain;
  }
  .file-card {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-width: 14rem;
    max-width: 22rem;
    padding: 0.55rem 0.7rem;
    border: 1px solid var(--console-border);
    border-radius: 10px;
    background: var(--console-surface);
    color: var(--console-text);
    text-decoration: none;
  }
  .file-card .icon {
    flex: none;
    color: var(--console-accent);
  }
  .file-text {
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  .file-name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .file-meta {
    font-size: 0.8rem;
    color: var(--console-muted);
  }
  .download {
    font-size: 0.85rem;
    font-weight: 600;
    color: var(--console-accent);
  }
  a.file-card:hover .download {
    text-decoration: underline;
  }
`

/** One attachment: a thumbnail link to the full image, or a file card with a download link. */
export function renderAttachment(attachment: Attachment) {
  const url = safeUrl(attachment.url)
  const thumb = attachment.thumb400
  const thumbUrl = safeUrl(thumb?.url)
  if (attachment.type === 'image' && url) {
    // Known dimensions, scaled to fit, keep the layout still while the image loads.
    const { width, height } = fit(
      (thumbUrl && thumb?.width) || attachment.width,
      (thumbUrl && thumb?.height) || attachment.height,
    )
    return html`<a
      class="image"
      href=${url}
      target="_blank"
      rel="noopener noreferrer"
      title="Open ${attachment.fileName} full size"
      data-viewer
      ><img
        src=${thumbUrl ?? url}
        alt=${attachment.fileName}
        width=${width ?? nothing}
        height=${height ?? nothing}
    /></a>`
  }
  const body = html`${fileIcon}<span class="file-text"
      ><span class="file-name" title=${attachment.fileName}>${attachment.fileName}</span
      ><span class="file-meta">${fileKind(attachment)} · ${fileSize(attachment.size)}</span></span
    >`
  return url
    ? html`<a
        class="file-card"
        href=${url}
        download=${attachment.fileName}
        target="_blank"
        rel="noopener noreferrer"
        >${body}<span class="download">Download</span></a
      >`
    : html`<span class="file-card">${body}</span>`
}

/** The largest a thumbnail is shown (CSS pixels); narrow screens shrink it further. */
const THUMB_BOX = { width: 320, height: 256 }

/** Width and height that keep the image's shape inside `THUMB_BOX`. */
function fit(width: number | null | undefined, height: number | null | undefined) {
  if (!width || !height) return { width: undefined, height: undefined }
  const scale = Math.min(1, THUMB_BOX.width / width, THUMB_BOX.height / height)
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}

/** "PDF", "PNG", "ZIP": the name's extension, else the MIME subtype when it is short. */
export function fileKind(file: { fileName: string; fileType: string }): string {
  const extension = /\.([a-z0-9]{1,6})$/i.exec(file.fileName)?.[1]
  if (extension) return extension.toUpperCase()
  const subtype = file.fileType.split('/')[1]?.split(';')[0]?.trim()
  return subtype && /^[a-z0-9]{1,5}$/i.test(subtype) ? subtype.toUpperCase() : 'File'
}
