import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Message } from '../../../src/protocol.ts'

/** How often the document title alternates while agent messages wait unread. */
const FLASH_MS = 1200
/** How long tabs collect each other's claims on a message before one of them beeps. */
const CLAIM_MS = 150

interface Claim {
  type: 'claim'
  id: string
  tab: string
}

/**
 * Gets the visitor's attention for an agent message they cannot see (panel closed, or tab
 * hidden): the page title flashes "(1) New message" until it is read, and — in one tab of the
 * visitor only — a short beep (with `sound`) and a desktop notification (when the page already
 * has the permission; the widget never asks).
 *
 * One tab: every tab that receives the message claims it on a `BroadcastChannel`; a tab that
 * saw another claim first stays quiet, and of claims in the same moment the smallest tab id wins.
 */
export class AttentionController implements ReactiveController {
  readonly #tab = Math.random().toString(36).slice(2)
  #channel: BroadcastChannel | null = null
  /** Message id → tabs that claimed it (kept short). */
  readonly #claims = new Map<string, Set<string>>()
  #audio: AudioContext | null = null

  #flashText: ((count: number) => string) | null = null
  #unread = 0
  #timer: ReturnType<typeof setInterval> | undefined
  #originalTitle: string | null = null
  #seen = true

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this)
  }

  hostConnected(): void {
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel('chat-widget-attention')
      this.#channel.onmessage = (event: MessageEvent<Claim>) => {
        if (event.data?.type === 'claim') this.#addClaim(event.data.id, event.data.tab)
      }
    }
  }

  hostDisconnected(): void {
    this.#channel?.close()
    this.#channel = null
    this.#stopFlash()
    void this.#audio?.close()
    this.#audio = null
  }

  /** After each render: whether the visitor sees the chat, and how many messages wait. */
  update(opened: boolean, unread: number): void {
    this.#unread = unread
    this.#seen = opened && document.visibilityState === 'visible'
    if (unread === 0 || this.#seen) this.#stopFlash()
  }

  /** A new agent message: flash the title and, in one tab, beep and notify. */
  notify(message: Message, text: string, flash: (count: number) => string, sound: boolean): void {
    this.#seen = this.#seen && document.visibilityState === 'visible'
    if (this.#seen) return
    this.#flashText = flash
    this.#startFlash()
    void this.#claim(message.id).then((mine) => {
      if (!mine) return
      if (sound) this.#beep()
      if (document.visibilityState === 'hidden') this.#desktopNotification(message, text)
    })
  }

  #startFlash(): void {
    if (this.#timer !== undefined) return
    this.#originalTitle = document.title
    let on = false
    const tick = () => {
      on = !on
      const count = Math.max(1, this.#unread)
      document.title = on && this.#flashText ? this.#flashText(count) : (this.#originalTitle ?? '')
    }
    tick()
    this.#timer = setInterval(tick, FLASH_MS)
  }

  #stopFlash(): void {
    if (this.#timer === undefined) return
    clearInterval(this.#timer)
    this.#timer = undefined
    if (this.#originalTitle !== null) document.title = this.#originalTitle
    this.#originalTitle = null
  }

  #addClaim(id: string, tab: string): Set<string> {
    let tabs = this.#claims.get(id)
    if (!tabs) {
      tabs = new Set()
      this.#claims.set(id, tabs)
      // Only recent messages matter.
      if (this.#claims.size > 50) this.#claims.delete(this.#claims.keys().next().value as string)
    }
    tabs.add(tab)
    return tabs
  }

  /** Resolves true when this tab is the one to beep for message `id`. */
  async #claim(id: string): Promise<boolean> {
    const before = this.#claims.get(id)
    if (before && before.size > 0) return false // another tab had it first
    this.#addClaim(id, this.#tab)
    if (!this.#channel) return true
    this.#channel.postMessage({ type: 'claim', id, tab: this.#tab } satisfies Claim)
    await new Promise((resolve) => setTimeout(resolve, CLAIM_MS))
    const tabs = [...(this.#claims.get(id) ?? [])].sort()
    return tabs[0] === this.#tab
  }

  /** A short, soft two-tone beep made with WebAudio (no audio file to load). */
  #beep(): void {
    const Context = globalThis.AudioContext
    if (typeof Context !== 'function') return
    try {
      this.#audio ??= new Context()
      const audio = this.#audio
      void audio.resume?.()
      const now = audio.currentTime
      const gain = audio.createGain()
      gain.connect(audio.destination)
      gain.gain.setValueAtTime(0.0001, now)
      gain.gain.exponentialRampToValueAtTime(0.12, now + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3)
      const tone = audio.createOscillator()
      tone.type = 'sine'
      tone.frequency.setValueAtTime(880, now)
      tone.frequency.setValueAtTime(1320, now + 0.12)
      tone.connect(gain)
      tone.start(now)
      tone.stop(now + 0.32)
    } catch {
      // No sound is no failure.
    }
  }

  #desktopNotification(message: Message, text: string): void {
    if (typeof Notification !== 'function' || Notification.permission !== 'granted') return
    try {
      const note = new Notification(document.title, { body: text, tag: message.id })
      note.onclick = () => {
        window.focus()
        ;(this.host as HTMLElement & { open?: () => void }).open?.()
        note.close()
      }
    } catch {
      // Some browsers allow notifications only from a service worker.
    }
  }
}
