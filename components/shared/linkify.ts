/**
 * Splits a message text into plain runs and links, so a template can render links as `<a>`
 * elements and everything else as text: no HTML is ever parsed from a message.
 */

export interface TextRun {
  text: string
  /** Set for a link: the address to open (always `http:` or `https:`). */
  href?: string
}

// http(s) addresses and bare www. addresses, up to whitespace or a bracket that cannot be part of one.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi
// Punctuation that ends a sentence rather than an address: "see https://x.com/a."
const TRAILING = /[.,:;!?)\]}]+$/

/** The runs of `text`, in order; joining their `text` gives back the input. */
export function linkify(text: string): TextRun[] {
  const runs: TextRun[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0]
    const trailing = url.match(TRAILING)?.[0] ?? ''
    // Keep a closing bracket that closes one opened inside the address (Wikipedia-style URLs).
    const keep = trailing.startsWith(')') && url.includes('(') ? 1 : 0
    url = url.slice(0, url.length - trailing.length + keep)
    const href = safeHref(url.startsWith('www.') ? `https://${url}` : url)
    if (!href) continue
    const start = match.index ?? 0
    if (start > last) runs.push({ text: text.slice(last, start) })
    runs.push({ text: url, href })
    last = start + url.length
  }
  if (last < text.length) runs.push({ text: text.slice(last) })
  return runs
}

/**
 * The absolute address if `url` is http(s) (resolved against `base`, for relative upload
 * paths), else null: no `javascript:` or `data:` link can come out of a message.
 */
export function safeHref(url: string, base?: string): string | null {
  try {
    const parsed = new URL(url, base)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
