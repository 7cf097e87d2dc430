/**
 * Splits a message text into plain runs and links, so a template can render links as `<a>`
 * elements and everything else as text: no HTML is ever parsed from a message.
 */

export interface TextRun {
  text: string
  /** Set for a link: the address to open (always `http:`, `https:` or `mailto:`). */
  href?: string
}

// Characters that end an address: whitespace, quotes, angle brackets and backticks.
const ADDRESS = String.raw`[^\s<>"'\x60]+`
// An e-mail address: a local part not glued to a word before it, a dotted domain with a TLD.
const EMAIL = String.raw`(?<![\w.%+\-/:@])[\w.%+\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,}`
// http(s) addresses, bare www. addresses, mailto: addresses and bare e-mail addresses.
const LINK_PATTERN = new RegExp(
  String.raw`\b(?:https?:\/\/|www\.)${ADDRESS}|\bmailto:${ADDRESS}|${EMAIL}`,
  'gi',
)
// Punctuation that ends a sentence rather than an address: "see https://x.com/a."
const TRAILING = /[.,:;!?)\]}]+$/

/** The runs of `text`, in order; joining their `text` gives back the input. */
export function linkify(text: string): TextRun[] {
  const runs: TextRun[] = []
  let last = 0
  for (const match of text.matchAll(LINK_PATTERN)) {
    let url = match[0]
    const trailing = url.match(TRAILING)?.[0] ?? ''
    // Keep a closing bracket that closes one opened inside the address (Wikipedia-style URLs).
    const keep = trailing.startsWith(')') && url.includes('(') ? 1 : 0
    url = url.slice(0, url.length - trailing.length + keep)
    const href = linkHref(url)
    if (!href) continue
    const start = match.index ?? 0
    if (start > last) runs.push({ text: text.slice(last, start) })
    runs.push({ text: url, href })
    last = start + url.length
  }
  if (last < text.length) runs.push({ text: text.slice(last) })
  return runs
}

/** The address a link found in a text opens: http(s) as written, www. as https, e-mail as mailto. */
function linkHref(found: string): string | null {
  if (/^www\./i.test(found)) return safeHref(`https://${found}`)
  if (/^mailto:/i.test(found)) return safeMailto(found)
  if (/^https?:\/\//i.test(found)) return safeHref(found)
  return found.includes('@') ? safeMailto(`mailto:${found}`) : null
}

/** A `mailto:` address with someone to write to, or null. */
function safeMailto(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'mailto:' && parsed.pathname.includes('@') ? parsed.href : null
  } catch {
    return null
  }
}

/**
 * The absolute address if `url` is http(s) (resolved against `base`, for relative upload
 * paths), else null: no `javascript:` or `data:` link or image can come out of chat data.
 */
export function safeHref(url: string, base?: string): string | null {
  try {
    const parsed = new URL(url, base)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
