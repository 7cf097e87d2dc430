import { html, type SVGTemplateResult, svg } from 'lit'

/**
 * Small stroke icons shared by the components, decorative (`aria-hidden`): the control around
 * them carries the accessible name.
 */
export const strokeIcon = (shapes: SVGTemplateResult, size = 20) =>
  html`<svg viewBox="0 0 24 24" width=${size} height=${size} fill="none" stroke="currentColor"
    stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    ${shapes}
  </svg>`

export const paperclipIcon = (size = 20) =>
  strokeIcon(
    svg`<path d="m21 11.5-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />`,
    size,
  )

export const closeIcon = (size = 20) => strokeIcon(svg`<path d="M6 6l12 12M18 6L6 18" />`, size)

export const moreIcon = (size = 20) =>
  html`<svg viewBox="0 0 24 24" width=${size} height=${size} fill="currentColor" aria-hidden="true">
    <circle cx="12" cy="5" r="2" /><circle cx="12" cy="12" r="2" /><circle cx="12" cy="19" r="2" />
  </svg>`

export const starIcon = (size = 28) =>
  html`<svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true">
    <path
      d="m12 2.8 2.8 5.8 6.3.9-4.6 4.4 1.1 6.3L12 17.2l-5.6 3 1.1-6.3-4.6-4.4 6.3-.9z"
      stroke="currentColor"
      stroke-width="1.6"
      stroke-linejoin="round"
    />
  </svg>`

export const thumbUpIcon = (size = 24) =>
  strokeIcon(
    svg`<path d="M7 10v11H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1zm0 0 4-7a2.5 2.5 0 0 1 3 2.8L13.4 10H19a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 17.7 21H7" />`,
    size,
  )

export const thumbDownIcon = (size = 24) =>
  strokeIcon(
    svg`<path d="M17 14V3h3a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1zm0 0-4 7a2.5 2.5 0 0 1-3-2.8l.6-4.2H5a2 2 0 0 1-2-2.3l1.3-7A2 2 0 0 1 6.3 3H17" />`,
    size,
  )
