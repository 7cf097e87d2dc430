import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** Timing of the typing signal. */
export interface TypingTiming {
  /** At most one `typing: true` per this many ms while the visitor types. */
  throttle: number
  /** `typing: false` after this many ms without a keystroke. */
  timeout: number
}

/**
 * Turns keystrokes into a throttled typing signal: `true` at the first keystroke and again at
 * most once per `throttle` ms while typing goes on (so the agent's indicator stays alive), and
 * `false` after `timeout` ms of pause or when `stop()` is called (send, blur, emptied input).
 * Its timer ends with the host.
 */
export class TypingController implements ReactiveController {
  #typing = false
  #lastSignal = 0
  #pause: ReturnType<typeof setTimeout> | undefined

  constructor(
    host: ReactiveControllerHost,
    private readonly timing: () => TypingTiming,
    private readonly signal: (typing: boolean) => void,
  ) {
    host.addController(this)
  }

  /** The visitor typed something. */
  input() {
    const { throttle, timeout } = this.timing()
    const now = performance.now()
    if (!this.#typing || now - this.#lastSignal >= throttle) {
      this.#typing = true
      this.#lastSignal = now
      this.signal(true)
    }
    clearTimeout(this.#pause)
    this.#pause = setTimeout(() => this.stop(), timeout)
  }

  /** The visitor stopped typing: says so once, if they were. */
  stop() {
    clearTimeout(this.#pause)
    this.#pause = undefined
    if (!this.#typing) return
    this.#typing = false
    this.signal(false)
  }

  hostDisconnected() {
    // Going away is not "stopped typing" from the visitor; the server times the signal out.
    clearTimeout(this.#pause)
    this.#pause = undefined
    this.#typing = false
  }
}
