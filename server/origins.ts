/**
 * Which web pages may open a visitor socket. An account lists allowed origins, each
 * one of:
 *   `*`                        any site
 *   `shop.example.com`         that host, any scheme and port
 *   `*.example.com`            its subdomains (not the bare domain)
 *   `https://shop.example.com` exactly that origin (scheme, host, port)
 * A request without an `Origin` header is not a page of another site (Node clients,
 * native apps, the official client outside a browser) and is allowed.
 */

/** True when `origin` (an `Origin` header value) matches one of `allowed`. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  const host = url.hostname.toLowerCase()
  return allowed.some((entry) => {
    const rule = entry.trim().toLowerCase()
    if (rule === '*') return true
    if (rule.includes('://')) return rule.replace(/\/+$/, '') === url.origin.toLowerCase()
    if (rule.startsWith('*.')) return host.endsWith(rule.slice(1))
    return host === rule
  })
}

/** Splits `DEMO_ALLOWED_ORIGINS`-style lists: comma or space separated. */
export function parseOrigins(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean)
}
