import type { ReactiveController, ReactiveControllerHost } from 'lit'

/**
 * Keeps `--_viewport-height` and `--_viewport-top` on the host in step with the visual viewport,
 * which the on-screen keyboard of a phone shrinks (and iOS scrolls): the full-screen panel then
 * ends above the keyboard instead of under it. Without `visualViewport`, the CSS falls back to
 * `100dvh`.
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
    this.#sync()
  }

  hostDisconnected(): void {
    window.visualViewport?.removeEventListener('resize', this.#sync)
    window.visualViewport?.removeEventListener('scroll', this.#sync)
  }

  readonly #sync = () => {
    const viewport = window.visualViewport
    if (!viewport) return
    this.host.style.setProperty('--_viewport-height', `${Math.round(viewport.height)}px`)
    this.host.style.setProperty('--_viewport-top', `${Math.round(viewport.offsetTop)}px`)
  }
}
