import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { afterNextPaint } from '../idle.ts'

/**
 * Keeps `--_viewport-height` and `--_viewport-top` on the host in step with the visual viewport,
 * which the on-screen keyboard of a phone shrinks (and iOS scrolls): the full-screen panel then
 * ends above the keyboard instead of under it. Without `visualViewport`, the CSS falls back to
 * `100dvh`.
 *
 * The first look waits for the panel's first paint: reading the visual viewport forces a layout,
 * which at the open was one more of the whole page before the panel's own (9 ms of a 4x-throttled
 * open), and until a keyboard or a zoom moves it the CSS fallbacks say the same.
 */
export class ViewportController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this)
  }

  hostConnected(): void {
    const viewport = window.visualViewport
    if (!viewport) return
    viewport.addEventListener('resize', this.#sync)
    viewport.addEventListener('scroll', this.#sync)
    afterNextPaint(this.#sync)
  }

  hostDisconnected(): void {
    window.visualViewport?.removeEventListener('resize', this.#sync)
    window.visualViewport?.removeEventListener('scroll', this.#sync)
  }

  /** The values last set: setting one again restyles the whole widget for nothing. */
  #applied = ''

  readonly #sync = () => {
    const viewport = window.visualViewport
    if (!viewport || !this.host.isConnected) return
    const height = `${Math.round(viewport.height)}px`
    const top = `${Math.round(viewport.offsetTop)}px`
    if (`${height} ${top}` === this.#applied) return
    this.#applied = `${height} ${top}`
    this.host.style.setProperty('--_viewport-height', height)
    this.host.style.setProperty('--_viewport-top', top)
  }
}
