/** The console's few icons, as Lit SVG templates (decorative: `aria-hidden`). */
import { svg } from 'lit'

export const paperclip = svg`<svg class="icon" viewBox="0 0 24 24" width="18" height="18"
  aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
  stroke-linejoin="round"
  ><path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5"
/></svg>`

export const fileIcon = svg`<svg class="icon" viewBox="0 0 24 24" width="28" height="28"
  aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"
  stroke-linejoin="round"
  ><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" /><path d="M14 3v5h5"
/></svg>`
