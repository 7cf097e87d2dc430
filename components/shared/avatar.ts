import { html, nothing } from 'lit'
import { initials } from './format.ts'
import { safeHref } from './linkify.ts'

/**
 * An agent's round avatar: their picture, or their initials on the accent colour when there is
 * none. Decorative (`alt=""`): the name is always written beside it. Only an absolute http(s)
 * picture is loaded; anything else (`data:`, `javascript:`, a relative path) shows the initials.
 */
export function avatar(name: string, url: string | null | undefined, part = 'avatar') {
  const src = url ? safeHref(url) : null
  return src
    ? html`<img part=${part} class="avatar" src=${src} alt="" loading="lazy" decoding="async" />`
    : html`<span part=${part} class="avatar avatar--initials" aria-hidden="true"
        >${initials(name) || nothing}</span
      >`
}
