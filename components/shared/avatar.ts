import { html, nothing } from 'lit'
import { initials } from './format.ts'

/**
 * An agent's round avatar: their picture, or their initials on the accent colour when there is
 * none. Decorative (`alt=""`): the name is always written beside it.
 */
export function avatar(name: string, url: string | null | undefined, part = 'avatar') {
  return url
    ? html`<img part=${part} class="avatar" src=${url} alt="" loading="lazy" decoding="async" />`
    : html`<span part=${part} class="avatar avatar--initials" aria-hidden="true"
        >${initials(name) || nothing}</span
      >`
}
