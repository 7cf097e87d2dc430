import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { fetchAccountStatus } from '../../src/client/status.ts'
import type { VisitorClient } from '../../src/client/visitor-client.ts'
import type { AccountStatus, AuthenticateValues, Message } from '../../src/protocol.ts'
import { base, tokens } from '../../styles/index.ts'
import { loadLanguage } from '../i18n/languages.ts'
import type { WidgetStrings, WidgetStringsOverride } from '../i18n/strings.ts'
import { defaultLauncherStrings } from '../launcher/launcher.component.ts'
import '../launcher/launcher.ts'
import type { LauncherToggleEvent } from '../shared/events.ts'
import styles from './chat-widget.styles.ts'
import { ChatWidgetCloseEvent, ChatWidgetOpenEvent } from './events.ts'
import { afterLoadWhenIdle, afterNextPaint, savesData } from './idle.ts'
import type { ChatPanel } from './panel/chat-panel.ts'

/** The two root texts the shell shows itself (the rest of English comes with the panel). */
const ENGLISH = { title: 'Chat with us', dismissGreeting: 'Dismiss' }

/** The panel module: loaded on the visitor's intent, an API call, or a chat to resume. */
const loadPanel = () => import('./panel/chat-panel.ts')

export type ChatWidgetPosition = 'bottom-right' | 'bottom-left'
export type ChatWidgetTheme = 'light' | 'dark' | 'auto'
export type ChatWidgetMode = 'floating' | 'inline'
export type ChatWidgetPreload = 'idle' | 'intent'

/** Where the visitor's "yes" to `require-consent` is remembered (then the chat stores data anyway). */
const CONSENT_KEY = 'chat-widget:consent'
/** Set once the visitor dismissed or followed the proactive greeting (on this device). */
const PROACTIVE_KEY = 'chat-widget:greeted'

/** Set while this visitor has a chat that must connect at once (see `ChatPanel.onChatState`). */
const chatKey = (key: string) => `chat-widget:chat:${key}`

function readLocal(key: string): boolean {
  try {
    return localStorage.getItem(key) === 'yes'
  } catch {
    return false
  }
}

/** The `strings` attribute: JSON; a typo is reported, not thrown at the page. */
const stringsFromAttribute = {
  fromAttribute(value: string | null): WidgetStringsOverride {
    if (!value) return {}
    try {
      const parsed: unknown = JSON.parse(value)
      if (parsed && typeof parsed === 'object') return parsed as WidgetStringsOverride
    } catch {
      // reported below
    }
    console.error('chat-widget: the `strings` attribute is not a JSON object; it is ignored.')
    return {}
  },
}

/**
 * @summary Live chat for any website: a launcher button that opens a chat panel where visitors
 * talk in realtime with the site's agents. History survives reloads.
 *
 * Configure it with attributes (`server` and `key` are required), theme it with the
 * `--chat-widget-*` custom properties and `::part()`, translate it with `lang` and `strings`.
 *
 * Accessibility: the panel is a labelled dialog region; opening moves focus to the text field,
 * Escape closes it and focus returns to the launcher; new agent messages and typing are said
 * through polite live regions.
 *
 * @event chat-widget-open - The panel opened.
 * @event chat-widget-close - The panel closed.
 * @event chat-widget-message - A message new to this page; `detail` is the Message.
 * @event chat-widget-connection - The connection changed; `detail` is `connecting` | `online` |
 * `reconnecting` | `offline`.
 *
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart unread-badge - The count of unread agent messages on the launcher.
 * @csspart panel - The chat panel (a dialog region).
 * @csspart header - The panel's top bar.
 * @csspart status-badge - Online / offline / away / connecting… / reconnecting… in the header.
 * @csspart menu-button - The header's "more options" button.
 * @csspart menu - The header's menu (end chat, email transcript).
 * @csspart menu-item - Each item of the header's menu.
 * @csspart message-list - The scrolling list of messages.
 * @csspart message - Every message; also `message-contact`, `message-agent` or `message-system`.
 * @csspart message-contact - A message of the visitor.
 * @csspart message-agent - A message of an agent.
 * @csspart message-system - A line about the chat (an agent joined, the chat closed…).
 * @csspart upload - A file on its way, with `upload-progress` and `cancel-button`.
 * @csspart upload-progress - The progress bar of a file on its way.
 * @csspart failure - The line under a message that could not be sent.
 * @csspart retry-button - Sends a failed message again.
 * @csspart remove-button - Takes a failed message off the list.
 * @csspart cancel-button - Cancels a file on its way.
 * @csspart image-button - The thumbnail of an image (opens the lightbox).
 * @csspart image - The thumbnail image.
 * @csspart file-card - A file that is not an image, with its download link.
 * @csspart lightbox - The full-size image dialog.
 * @csspart typing-indicator - The "agent is typing" dots.
 * @csspart composer - The bar with the text field and send button.
 * @csspart input - The text field.
 * @csspart send-button - The send button.
 * @csspart attach-button - The paperclip that chooses files.
 * @csspart notice - The line above the composer (files that cannot be sent…).
 * @csspart counter - Characters used of the server's limit, above the composer near it.
 * @csspart drop-zone - The overlay shown while files are dragged over the panel.
 * @csspart offline-form - The leave-a-message form shown while nobody is online (and no agent answers the chat).
 * @csspart chat-ended - The end of a chat: rating, transcript, new chat.
 * @csspart error - The message shown instead of the chat when it cannot work (no key…).
 * @csspart proactive - With `greeting-delay`: the greeting in a bubble by the launcher.
 * @csspart consent - With `require-consent`: what chatting stores, shown before it connects.
 * @csspart consent-button - The button that agrees and starts the chat.
 *
 * @cssproperty --chat-widget-accent - Brand colour: launcher, header, visitor bubbles, send button. Default `#4f46e5` (dark: `#a5b4fc`).
 * @cssproperty --chat-widget-accent-contrast - Text and icons on the accent. Default: white or near-black, whichever reads on the accent.
 * @cssproperty --chat-widget-font-family - Font of all text. Default: the system UI font.
 * @cssproperty --chat-widget-font-size - Base text size. Default `15px`.
 * @cssproperty --chat-widget-radius - Corners of bubbles and the panel. Default `16px`.
 * @cssproperty --chat-widget-z-index - Stacking order of the floating widget. Default `2147483000`.
 * @cssproperty --chat-widget-width - Width of the open panel. Default `380px`.
 * @cssproperty --chat-widget-height - Height of the open panel. Default `600px`.
 * @cssproperty --chat-widget-offset-x - Distance from the side of the window. Default `20px`.
 * @cssproperty --chat-widget-offset-y - Distance from the bottom of the window (above a bottom bar of the page). Default `20px`.
 * @cssproperty --chat-widget-surface - Background of the panel and the composer. Default `#ffffff` (dark: `#161b26`).
 * @cssproperty --chat-widget-surface-muted - Agent bubbles and system lines. Default `#f1f3f7` (dark: `#262d3b`).
 * @cssproperty --chat-widget-text - Main text. Default `#111827` (dark: `#f3f4f6`).
 * @cssproperty --chat-widget-text-muted - Times, names, hints. Default `#4b5563` (dark: `#b4bcc8`).
 * @cssproperty --chat-widget-border - Hairlines and input borders. Default `#e2e5eb` (dark: `#3a4252`).
 * @cssproperty --chat-widget-success - "Online" dot. Default `#16a34a` (dark: `#4ade80`).
 * @cssproperty --chat-widget-warning - "Connecting…" dot. Default `#d97706` (dark: `#fbbf24`).
 * @cssproperty --chat-widget-danger - Unread badge, failed messages, errors. Default `#dc2626` (dark: `#fca5a5`).
 * @cssproperty --chat-widget-shadow - Shadow of the panel and the launcher. Default: a soft two-layer shadow.
 * @cssproperty --chat-widget-overlay - Backdrop of the image lightbox. Default `rgb(15 23 42 / 0.9)`.
 * @cssproperty --chat-widget-overlay-contrast - Text and buttons on the lightbox's backdrop. Default `#ffffff`.
 * @cssproperty --chat-widget-focus-ring - The keyboard focus ring. Default: the accent.
 */
export class ChatWidget extends LitElement {
  static override styles = [tokens, base, styles]

  /** Base URL of the chat server, e.g. `https://chat.example.com`. Required. */
  @property() server = ''

  /** The account key of the site. Required. */
  @property() key = ''

  /** Socket.IO path on the server. */
  @property() path = '/socket'

  /** Whether the panel is open (attribute `open`; the methods are `open()`/`close()`). */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) opened = false

  /** Which corner the widget sits in. */
  @property({ reflect: true }) position: ChatWidgetPosition = 'bottom-right'

  /**
   * Heading of the panel when no agent is assigned yet. (The launcher and panel carry
   * `title=""` so the browser does not also show this attribute as a tooltip over them.)
   */
  @property() override title = ''

  /** The site's first words in the chat: a bubble above the visitor's first message, kept there. */
  @property() greeting = ''

  /**
   * Seconds after which the `greeting` pops up in a bubble by the closed launcher, once per
   * visitor (remembered on the device; with `require-consent`, only once the visitor agreed)
   * and only to visitors without a chat yet. Unset: no bubble.
   */
  @property({ type: Number, attribute: 'greeting-delay' }) greetingDelay: number | null = null

  /** Visitor name to prefill. */
  @property() name = ''

  /** Visitor email to prefill. */
  @property() email = ''

  /** Agent group (department) to route the chat to. */
  @property() group = ''

  /**
   * Language of the widget's texts, dates and times (BCP 47, e.g. `cs`, `pt-BR`, `ar`).
   * Default: the page's `<html lang>`, then the browser's language. Built in: en, cs, de, es,
   * fr, pt, ar (others fall back to English texts, with dates in their own locale); `ar` and
   * other right-to-left languages lay the panel out right to left.
   */
  @property() override lang = ''

  /**
   * Texts to use instead of the built-in ones: any group and key of `WidgetStrings`, e.g.
   * `{ "composer": { "placeholder": "Ask us anything…" } }` (as a property, or JSON in the
   * attribute). Keys left out keep the language's text; a language's missing keys, English.
   */
  @property({ converter: stringsFromAttribute }) strings: WidgetStringsOverride = {}

  /** Colour scheme: `light`, `dark`, or `auto` (follows the visitor's system setting). */
  @property({ reflect: true }) theme: ChatWidgetTheme = 'light'

  /**
   * `floating`: a launcher in a corner of the window opens the panel. `inline`: the chat is part
   * of the page, always open, as wide as its container and `--chat-widget-height` tall
   * (e.g. `100%`), with no launcher.
   */
  @property({ reflect: true }) mode: ChatWidgetMode = 'floating'

  /**
   * Connect and store nothing until the visitor agrees (a button in the panel) or the page calls
   * `grantConsent()` (e.g. from its consent manager). The visitor's yes is remembered on this
   * device.
   */
  @property({ type: Boolean, attribute: 'require-consent' }) requireConsent = false

  /**
   * Play a short sound when an agent writes while the panel is closed or the tab hidden (once
   * per message across the visitor's tabs).
   */
  @property({ type: Boolean }) sound = false

  /**
   * When the panel's code loads. `idle`: once the page has loaded and the launcher painted, in
   * an idle moment (not with the visitor's Data Saver on), so a first open is quick; it opens
   * no connection. `intent`: only when the visitor shows intent (hover, focus, touch, click)
   * or the page calls the API.
   */
  @property() preload: ChatWidgetPreload = 'idle'

  #cancelPreload: (() => void) | null = null

  /** The open chat and its connection, once loaded (see `activate()`). */
  @state() private panel: ChatPanel | null = null
  #panelLoading: Promise<ChatPanel | null> | null = null

  /** The account's status from the HTTP status endpoint, until a socket says it. */
  @state() private accountStatus: AccountStatus | '' = ''

  #reportedError = ''
  /** A host-verified identity from `identify()`, until there is a client to send it with. */
  #pendingAuth: AuthenticateValues | null = null

  /** The built-in texts of the current language; null for English (or until it has loaded). */
  @state() private languageStrings: WidgetStrings | null = null

  /** Whether the proactive greeting bubble shows. */
  @state() private proactive = false
  #proactiveTimer: ReturnType<typeof setTimeout> | undefined
  /** The visitor dismissed or followed the greeting here: kept where it may not be stored. */
  #greeted = false

  /** The visitor's consent as stored, read when first asked (most sites never ask). */
  #consented: boolean | undefined

  /** Whether the visitor (or the page) agreed to chatting, for `require-consent`. */
  private get consented(): boolean {
    this.#consented ??= readLocal(CONSENT_KEY)
    return this.#consented
  }

  /** Whether keyboard focus was inside the panel when it closed (then it goes to the launcher). */
  #focusWasInPanel = false

  /**
   * The Web SDK client of the current connection. Undefined until the widget connects: when
   * the visitor shows intent (hover, focus or click on the launcher), the panel opens, the page
   * calls `send()` or `reset()`, or the visitor has a chat in progress (then at once).
   */
  get client(): VisitorClient | undefined {
    return this.panel?.client
  }

  /** Opens the panel. */
  open(): void {
    this.opened = true
  }

  /** Closes the panel. */
  close(): void {
    this.opened = false
  }

  /** Opens the panel if closed, closes it if open. */
  toggle(): void {
    this.opened = !this.opened
  }

  /**
   * Records the visitor's consent (remembered on this device) and connects: for sites whose
   * consent manager already asked. Nothing to do without `require-consent`.
   */
  grantConsent(): void {
    this.#consented = true
    this.requestUpdate()
    try {
      localStorage.setItem(CONSENT_KEY, 'yes')
    } catch {
      // Storage may be blocked; the consent holds for this page.
    }
    this.#rememberGreeted()
    this.panel?.configure()
  }

  /**
   * Tells the server who the visitor is (after a login in a single-page app, say): the same as
   * setting the `name`, `email` and `group` attributes. With `hash` — the hex HMAC-SHA256 of
   * the email under the account secret, computed by the site's server — the identity is
   * verified (agents see `authenticated: true`); a wrong hash is refused by the server,
   * reported once in the console, and the identity stays unverified.
   */
  identify(identity: { name?: string; email?: string; group?: string; hash?: string }): void {
    if (identity.name !== undefined) this.name = identity.name
    if (identity.email !== undefined) this.email = identity.email
    if (identity.group !== undefined) this.group = identity.group
    if (!identity.hash) return
    this.#pendingAuth = {
      email: identity.email ?? (this.email || null),
      name: identity.name ?? (this.name || null),
      hash: identity.hash,
    }
    // After the update that sends the name and email, so the verification comes last.
    void this.updateComplete.then(() => this.panel?.authenticatePending())
  }

  /**
   * Forgets the visitor on this device — their stored history and unsent messages — and starts
   * as a new visitor: call it when the site's user logs out.
   */
  async reset(): Promise<void> {
    this.#rememberChat(false)
    const panel = await this.#activate()
    await panel?.reset()
  }

  /** Sends a text message as the visitor; resolves once the server has it (or it failed). */
  async send(text: string): Promise<void> {
    const panel = await this.#activate()
    if (!panel) throw new Error('chat-widget: set `server` and `key` before sending')
    await panel.send(text)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    // A single-page app may switch the page's language: follow it when we have none of our own.
    this.#pageLang.observe(document.documentElement, { attributeFilter: ['lang'] })
    // Moved on the page: the preload that leaving cancelled (the first one waits for a render).
    if (this.hasUpdated) this.#schedulePreload()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#pageLang.disconnect()
    clearTimeout(this.#proactiveTimer)
    this.#cancelPreload?.()
    this.#cancelPreload = null
  }

  readonly #pageLang = new MutationObserver(() => {
    if (this.lang) return
    void this.#loadLanguage(this.locale)
  })

  /** The language in use: the `lang` attribute, else the page's, else the browser's. */
  get locale(): string {
    return this.lang || document.documentElement.lang || navigator.language || 'en'
  }

  /**
   * The texts in use: the language's, with the site owner's `strings` on top. Undefined until
   * the panel has loaded (the launcher needs only its own few).
   */
  get allStrings(): WidgetStrings | undefined {
    return this.panel?.strings
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || !this.hasUpdated) void this.#loadLanguage(this.locale)
    if (changed.has('greetingDelay')) this.#scheduleProactive()
    if (changed.has('opened') && this.opened && this.proactive) this.#dismissProactive()
    if (changed.has('opened') && !this.opened) {
      this.#focusWasInPanel = !!this.renderRoot.querySelector('.panel')?.matches(':focus-within')
    }
    // Open (or inline), or a chat in progress: connect now. Else wait for the visitor. The
    // first render asks storage and the network nothing: a page's first storage access and a
    // fetch cost the launcher's first paint (~12 ms at 4x CPU); `firstUpdated` asks after it.
    if (this.#shown || (this.hasUpdated && this.#hasChat())) void this.#activate()
    if (this.hasUpdated && (changed.has('server') || changed.has('key')) && !this.panel)
      this.#checkStatus()
    this.panel?.hostChanged(changed)
  }

  protected override firstUpdated(): void {
    this.#schedulePreload()
    afterNextPaint(() => {
      if (!this.isConnected) return
      if (!this.panel) this.#checkStatus()
      if (this.#hasChat()) void this.#activate()
    })
  }

  /** Whether this visitor has a chat in progress, which connects on every page view. */
  #hasChat(): boolean {
    return !!this.key && readLocal(chatKey(this.key))
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('opened') && (changed.get('opened') !== undefined || this.opened)) {
      this.dispatchEvent(this.opened ? new ChatWidgetOpenEvent() : new ChatWidgetCloseEvent())
      if (this.opened) void this.#focusPanel()
      else if (this.#focusWasInPanel) this.#focusLauncher()
    }
    this.panel?.hostUpdated()
  }

  override render() {
    const panel = this.panel
    if (this.mode === 'inline')
      return panel ? html`${panel.render()}${panel.renderLive()}` : this.#renderLoading()
    const state = panel?.state
    const status = state?.connection === 'online' ? state.accountStatus : this.accountStatus
    return html`
      ${this.opened ? (panel?.render() ?? this.#renderLoading()) : nothing}
      ${this.proactive && !this.opened ? this.#renderProactive() : nothing}
      ${panel?.renderLive() ?? nothing}
      <chat-widget-launcher
        title=""
        exportparts="launcher, unread-badge"
        .open=${this.opened}
        .unread=${this.opened ? 0 : (state?.unread ?? 0)}
        .status=${status}
        .strings=${{ ...defaultLauncherStrings, ...this.languageStrings?.launcher, ...this.strings.launcher }}
        @chat-widget-toggle=${(event: LauncherToggleEvent) => {
          this.opened = event.open
        }}
        @pointerenter=${this.#onIntent}
        @focusin=${this.#onIntent}
        @touchstart=${this.#onIntent}
      ></chat-widget-launcher>
    `
  }

  /** The panel's frame while its module loads (a cold open: nothing was preloaded). */
  #renderLoading() {
    return html`<section
      part="panel"
      class="panel"
      role=${this.mode === 'inline' ? 'region' : 'dialog'}
      aria-label=${this.title || this.#rootString('title')}
      aria-busy="true"
      title=""
    ></section>`
  }

  #renderProactive() {
    return html`<div part="proactive" class="proactive" role="status">
      <button class="proactive-text" type="button" dir="auto" @click=${() => this.open()}>
        ${this.greeting}
      </button>
      <button
        class="proactive-dismiss"
        type="button"
        aria-label=${this.#rootString('dismissGreeting')}
        @click=${() => this.#dismissProactive()}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor"
          stroke-width="2" stroke-linecap="round" aria-hidden="true">
          <path d="M6 6l12 12M18 6L6 18" />
        </svg>
      </button>
    </div>`
  }

  /** A text of the element itself, before the panel (and the whole of English) has loaded. */
  #rootString(name: 'title' | 'dismissGreeting'): string {
    return this.strings.widget?.[name] ?? this.languageStrings?.widget[name] ?? ENGLISH[name]
  }

  /** Hover, focus or touch on the launcher: the visitor may chat, so load and connect. */
  readonly #onIntent = () => void this.#activate()

  /**
   * Loads the panel module (once) and starts the chat: the connection and, when open, the
   * panel. Resolves with the panel, or null when the element left the page meanwhile.
   */
  #activate(): Promise<ChatPanel | null> {
    this.#panelLoading ??= loadPanel().then(({ ChatPanel }) => {
      if (!this.panel) {
        this.panel = new ChatPanel(this, {
          languageStrings: () => this.languageStrings,
          needsConsent: () => this.requireConsent && !this.consented,
          reportOnce: (message) => this.#reportOnce(message),
          takePendingAuth: () => {
            const values = this.#pendingAuth
            this.#pendingAuth = null
            return values
          },
          rememberChat: (active) => this.#rememberChat(active),
          accountStatus: () => this.accountStatus,
          hasChat: () => this.#hasChat(),
        })
      }
      return this.panel
    })
    return this.#panelLoading
  }

  /**
   * With `preload="idle"`: loads the panel's module, then in another idle moment prepares what
   * a first open would (see `warmUp`). Only the code: the connection still waits for intent.
   */
  #schedulePreload(): void {
    this.#cancelPreload?.()
    this.#cancelPreload = null
    if (this.preload !== 'idle' || this.mode === 'inline') return
    this.#cancelPreload = afterLoadWhenIdle(() => {
      this.#cancelPreload = null
      // Data Saver is asked only now: a page's first look at `navigator.connection` costs the
      // launcher's first paint ~5 ms at 4x CPU.
      if (this.preload !== 'idle' || this.#panelLoading || savesData()) return
      loadPanel().then(
        ({ warmUp }) => {
          if (this.isConnected && !this.panel) {
            this.#cancelPreload = warmUp(this.locale, this.accountStatus, this.renderRoot)
          }
        },
        () => {
          // Offline, say: the visitor's intent loads it again (and shows what went wrong).
        },
      )
    })
  }

  /** The launcher's online dot, over HTTP: a visitor who never chats opens no socket. */
  #checkStatus(): void {
    if (!this.server || !this.key || this.mode === 'inline') return
    const key = this.key
    fetchAccountStatus(this.server, key).then(
      (status) => {
        if (key === this.key) this.accountStatus = status
      },
      () => {
        // Unknown: no dot. The socket tells once the visitor interacts.
      },
    )
  }

  #rememberChat(active: boolean): void {
    if (!this.key) return
    try {
      if (active) localStorage.setItem(chatKey(this.key), 'yes')
      else localStorage.removeItem(chatKey(this.key))
    } catch {
      // Storage may be blocked: the chat connects when the visitor comes back to it.
    }
  }

  /** Starts the proactive greeting's clock, for a visitor who has not chatted or dismissed it. */
  #scheduleProactive(): void {
    clearTimeout(this.#proactiveTimer)
    const delay = this.greetingDelay
    if (delay === null || !Number.isFinite(delay) || delay < 0) return
    if (this.#greetedBefore()) return
    this.#proactiveTimer = setTimeout(() => {
      const hasChat = (this.panel?.state?.items.length ?? 0) > 0 || this.#hasChat()
      // Another tab of the visitor may have had it meanwhile.
      if (this.#greetedBefore()) return
      if (this.greeting && !this.opened && !hasChat && this.mode !== 'inline') {
        this.proactive = true
      }
    }, delay * 1000)
  }

  #dismissProactive(): void {
    this.proactive = false
    this.#greeted = true
    this.#rememberGreeted()
  }

  /** Whether this visitor has had the greeting: here, or on this device where we may read it. */
  #greetedBefore(): boolean {
    return this.#greeted || (this.#mayStore && readLocal(PROACTIVE_KEY))
  }

  /** Stores that the visitor had the greeting, once the widget may store anything. */
  #rememberGreeted(): void {
    if (!this.#greeted || !this.#mayStore) return
    try {
      localStorage.setItem(PROACTIVE_KEY, 'yes')
    } catch {
      // Storage may be blocked: the bubble may come back on the next page.
    }
  }

  /** Whether the widget may store on the device: without `require-consent`, or after the yes. */
  get #mayStore(): boolean {
    return !this.requireConsent || this.consented
  }

  /** Whether the chat is on screen: open, or inline (always). */
  get #shown(): boolean {
    return this.opened || this.mode === 'inline'
  }

  async #loadLanguage(locale: string): Promise<void> {
    const strings = await loadLanguage(locale)
    // A later `lang` may have loaded first.
    if (locale === this.locale) this.languageStrings = strings
  }

  async #focusLauncher(): Promise<void> {
    await this.updateComplete
    this.renderRoot.querySelector('chat-widget-launcher')?.focus()
  }

  /** Opening moves focus into the panel, once it is there (its module may still be loading). */
  async #focusPanel(): Promise<void> {
    const panel = await this.#activate()
    await this.updateComplete
    if (this.opened) panel?.focusTarget()?.focus()
  }

  #reportOnce(message: string): void {
    if (this.#reportedError === message) return
    this.#reportedError = message
    console.error(message)
  }
}

export type { Message }
