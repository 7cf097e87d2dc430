import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { SocketError } from '../../src/client/socket-error.ts'
import type { VisitorClient } from '../../src/client/visitor-client.ts'
import type { AuthenticateValues, Message } from '../../src/protocol.ts'
import type { ChatState, ConnectionStatus } from '../../src/store/chat-service.ts'
import type { UploadProblem } from '../../src/store/upload-check.ts'
import { base, tokens } from '../../styles/index.ts'
import '../chat-ended/chat-ended.ts'
import type { TranscriptState } from '../chat-ended/chat-ended.ts'
import '../composer/composer.ts'
import '../drop-zone/drop-zone.ts'
import '../header/header.ts'
import '../launcher/launcher.ts'
import '../message-list/message-list.ts'
import '../offline-form/offline-form.ts'
import { en, isRightToLeft, loadStrings, mergeStrings } from '../i18n/index.ts'
import type { WidgetStrings, WidgetStringsOverride } from '../i18n/strings.ts'
import type { FormState as OfflineFormState } from '../offline-form/offline-form.ts'
import type {
  AttachEvent,
  CancelEvent,
  DiscardEvent,
  LauncherToggleEvent,
  OfflineSubmitEvent,
  RateEvent,
  RetryEvent,
  SendEvent,
  TranscriptEvent,
  TypingEvent,
} from '../shared/events.ts'
import { formatFileSize } from '../shared/format.ts'
import { closeIcon } from '../shared/icons.ts'
import '../typing-indicator/typing-indicator.ts'
import { AttentionController } from './attention.controller.ts'
import { ChatController } from './chat-controller.ts'
import styles from './chat-widget.styles.ts'
import {
  ChatWidgetCloseEvent,
  ChatWidgetConnectionEvent,
  ChatWidgetMessageEvent,
  ChatWidgetOpenEvent,
} from './events.ts'
import { ViewportController } from './viewport.ts'

export type ChatWidgetPosition = 'bottom-right' | 'bottom-left'
export type ChatWidgetTheme = 'light' | 'dark' | 'auto'
export type ChatWidgetMode = 'floating' | 'inline'

/** Where the visitor's "yes" to `require-consent` is remembered (then the chat stores data anyway). */
const CONSENT_KEY = 'chat-widget:consent'
/** Set once the visitor dismissed or followed the proactive greeting (this tab's session). */
const PROACTIVE_KEY = 'chat-widget:greeted'

function readSession(key: string): boolean {
  try {
    return sessionStorage.getItem(key) === 'yes'
  } catch {
    return false
  }
}

function readConsent(): boolean {
  try {
    return localStorage.getItem(CONSENT_KEY) === 'yes'
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
 * @csspart status-badge - Online / offline / connecting… / reconnecting… in the header.
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
 * @csspart drop-zone - The overlay shown while files are dragged over the panel.
 * @csspart offline-form - The leave-a-message form shown while nobody is online.
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

  /** First line shown in an empty chat. */
  @property() greeting = ''

  /**
   * Seconds after which the `greeting` pops up in a bubble by the closed launcher, once per
   * session and only to visitors without a chat yet. Unset: no bubble.
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

  private readonly chat = new ChatController(this, {
    onMessage: (message) => {
      this.dispatchEvent(new ChatWidgetMessageEvent(message))
      this.onNewMessage(message)
    },
    onState: (state, previous) => this.onChatState(state, previous),
  })

  private readonly attention = new AttentionController(this)

  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: a controller works through its host's lifecycle
  private readonly viewport = new ViewportController(this)

  private reportedError = ''
  /** A host-verified identity from `identify()`, until there is a client to send it with. */
  private pendingAuth: AuthenticateValues | null = null

  /** The built-in texts of the current language (English until another one has loaded). */
  @state() private languageStrings: WidgetStrings = en

  /** What the polite live region says: the last new agent message. */
  @state() private announcement = ''

  /** Whether the proactive greeting bubble shows. */
  @state() private proactive = false
  private proactiveTimer: ReturnType<typeof setTimeout> | undefined

  /** Whether the visitor (or the page) agreed to chatting, for `require-consent`. */
  @state() private consented = readConsent()

  /** Whether keyboard focus was inside the panel when it closed (then it goes to the launcher). */
  private focusWasInPanel = false

  /** A line above the composer: files that could not be sent, a transcript on its way. */
  @state() private notice = ''
  @state() private offlineState: OfflineFormState = 'idle'
  @state() private transcriptState: TranscriptState = 'idle'

  /** The Web SDK client of the current connection (undefined until `server` and `key` are set). */
  get client(): VisitorClient | undefined {
    return this.chat.service?.client
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
    this.consented = true
    try {
      localStorage.setItem(CONSENT_KEY, 'yes')
    } catch {
      // Storage may be blocked; the consent holds for this page.
    }
    this.configure()
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
    this.pendingAuth = {
      email: identity.email ?? (this.email || null),
      name: identity.name ?? (this.name || null),
      hash: identity.hash,
    }
    // After the update that sends the name and email, so the verification comes last.
    void this.updateComplete.then(() => this.authenticatePending())
  }

  /**
   * Forgets the visitor on this device — their stored history and unsent messages — and starts
   * as a new visitor: call it when the site's user logs out.
   */
  async reset(): Promise<void> {
    this.notice = ''
    this.offlineState = 'idle'
    this.transcriptState = 'idle'
    await this.chat.reset()
  }

  /** Whether the chat is on screen: open, or inline (always). */
  private get shown(): boolean {
    return this.opened || this.mode === 'inline'
  }

  /** Sends a text message as the visitor; resolves once the server has it (or it failed). */
  async send(text: string): Promise<void> {
    const service = this.chat.service
    if (!service) throw new Error('chat-widget: set `server` and `key` before sending')
    const trimmed = text.trim()
    if (trimmed) await service.send(trimmed)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    document.addEventListener('visibilitychange', this.onVisibility)
    // A single-page app may switch the page's language: follow it when we have none of our own.
    this.pageLang.observe(document.documentElement, { attributeFilter: ['lang'] })
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    document.removeEventListener('visibilitychange', this.onVisibility)
    this.pageLang.disconnect()
    clearTimeout(this.proactiveTimer)
  }

  private readonly pageLang = new MutationObserver(() => {
    if (this.lang) return
    void this.loadLanguage(this.locale)
    this.requestUpdate()
  })

  /** The language in use: the `lang` attribute, else the page's, else the browser's. */
  get locale(): string {
    return this.lang || document.documentElement.lang || navigator.language || 'en'
  }

  /** The texts in use: the language's, with the site owner's `strings` on top. */
  get allStrings(): WidgetStrings {
    return mergeStrings(mergeStrings(en, this.languageStrings), this.strings)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || !this.hasUpdated) void this.loadLanguage(this.locale)
    if (changed.has('greetingDelay')) this.scheduleProactive()
    if (changed.has('opened') && this.opened && this.proactive) this.dismissProactive()
    if (changed.has('opened') && !this.opened) {
      this.focusWasInPanel = !!this.renderRoot.querySelector('.panel')?.matches(':focus-within')
    }
    if (
      changed.has('server') ||
      changed.has('key') ||
      changed.has('path') ||
      changed.has('requireConsent')
    ) {
      this.configure()
    } else if (
      changed.has('name') ||
      changed.has('email') ||
      changed.has('group') ||
      changed.has('lang')
    ) {
      this.updateIdentity()
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('opened') && (changed.get('opened') !== undefined || this.opened)) {
      this.dispatchEvent(this.opened ? new ChatWidgetOpenEvent() : new ChatWidgetCloseEvent())
      if (this.opened) this.focusComposer()
      else if (this.focusWasInPanel) this.focusLauncher()
    }
    this.attention.update(this.shown, this.chat.state?.unread ?? 0)
    this.markReadIfSeen()
  }

  override render() {
    const state = this.chat.state
    const unread = state?.unread ?? 0
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">
      ${this.announcement}
    </div>`
    if (this.mode === 'inline') return html`${this.renderPanel(state)}${live}`
    return html`
      ${this.opened ? this.renderPanel(state) : nothing}
      ${this.proactive && !this.opened ? this.renderProactive() : nothing}
      ${live}
      <chat-widget-launcher
        title=""
        exportparts="launcher, unread-badge"
        .open=${this.opened}
        .unread=${this.opened ? 0 : unread}
        .strings=${this.allStrings.launcher}
        @chat-widget-toggle=${(event: LauncherToggleEvent) => {
          this.opened = event.open
        }}
      ></chat-widget-launcher>
    `
  }

  private renderPanel(state: ChatState | undefined) {
    const strings = this.allStrings
    const title = this.title || strings.widget.title
    const chatOpen = state?.chatStatus === 'open' || state?.chatStatus === 'pending'
    return html`
      <section
        part="panel"
        class="panel"
        role=${this.mode === 'inline' ? 'region' : 'dialog'}
        aria-label=${title}
        title=""
        lang=${this.locale}
        dir=${isRightToLeft(this.locale) ? 'rtl' : 'ltr'}
        @keydown=${this.onPanelKeyDown}
      >
        <chat-widget-header
          .strings=${strings.header}
          exportparts="header, status-badge, title, avatar, close-button, menu-button, menu, menu-item"
          account-name=${title}
          .agent=${state?.agent ?? null}
          .status=${headerStatus(state)}
          .canEnd=${chatOpen}
          .canTranscript=${chatOpen && !!this.visitorEmail()}
          .canClose=${this.mode !== 'inline'}
          @chat-widget-minimize=${() => this.close()}
          @chat-widget-end-chat=${() => void this.chat.service?.endChat()}
          @chat-widget-transcript-request=${() => void this.emailTranscript(this.visitorEmail())}
        ></chat-widget-header>
        ${
          this.needsConsent()
            ? this.renderConsent()
            : this.problem(state)
              ? this.renderError(state)
              : this.renderChat(state)
        }
      </section>
    `
  }

  private renderChat(state: ChatState | undefined) {
    const closed = state?.chatStatus === 'closed'
    // Leave-a-message mode: connected, nobody online, and no closed chat to wrap up first.
    const away = state?.connection === 'online' && state.accountStatus === 'offline' && !closed
    const items = state?.items ?? []
    return html`
      <chat-widget-drop-zone
        exportparts="drop-zone"
        .strings=${this.allStrings.dropZone}
        ?disabled=${closed || away}
        @chat-widget-attach=${(event: AttachEvent) => this.attach(event.files)}
      >
        ${
          away && items.length === 0
            ? nothing
            : html`<chat-widget-message-list
              exportparts="message-list, message, message-contact, message-agent, message-system, greeting, new-messages, retry-button, remove-button, cancel-button, upload, upload-progress, failure, image-button, image, file-card, lightbox, lightbox-image, lightbox-caption, lightbox-close"
              .items=${items}
              .agents=${state?.agents ?? []}
              .greeting=${this.greeting}
              .hasMore=${state?.hasMore ?? false}
              .locale=${this.locale}
              .strings=${this.allStrings.messageList}
              .lightboxStrings=${this.allStrings.lightbox}
              quiet
              @chat-widget-retry=${(event: RetryEvent) => void this.chat.service?.retry(event.key)}
              @chat-widget-cancel=${(event: CancelEvent) => this.chat.service?.cancel(event.key)}
              @chat-widget-discard=${(event: DiscardEvent) => this.chat.service?.discard(event.key)}
              @chat-widget-load-older=${() => void this.chat.service?.loadOlder()}
            ></chat-widget-message-list>`
        }
        ${closed ? this.renderEnded(state) : away ? this.renderOfflineForm() : this.renderComposer(state)}
      </chat-widget-drop-zone>
    `
  }

  private renderComposer(state: ChatState | undefined) {
    return html`
      <chat-widget-typing-indicator
        exportparts="typing-indicator"
        .strings=${this.allStrings.typingIndicator}
        .typing=${state?.agentTyping ?? false}
        .name=${state?.agent?.nickname ?? ''}
      ></chat-widget-typing-indicator>
      <chat-widget-composer
        exportparts="composer, input, send-button, attach-button, notice"
        .strings=${this.allStrings.composer}
        .accept=${state?.uploadLimits?.acceptedTypes.join(',') ?? ''}
        .notice=${this.notice}
        @chat-widget-send=${(event: SendEvent) => void this.send(event.text)}
        @chat-widget-typing=${(event: TypingEvent) => this.chat.service?.typing(event.typing)}
        @chat-widget-attach=${(event: AttachEvent) => {
          // The drop zone around would hear it too: one attach per gesture.
          event.stopPropagation()
          this.attach(event.files)
        }}
        @chat-widget-notice-dismiss=${() => {
          this.notice = ''
        }}
      ></chat-widget-composer>
    `
  }

  private renderOfflineForm() {
    return html`
      <chat-widget-offline-form
        exportparts="offline-form"
        .strings=${this.allStrings.offlineForm}
        .name=${this.chat.service?.client.getVisitorIdentity()?.name ?? this.name}
        .email=${this.visitorEmail()}
        .state=${this.offlineState}
        @chat-widget-offline-submit=${(event: OfflineSubmitEvent) => void this.leaveMessage(event)}
      ></chat-widget-offline-form>
    `
  }

  private renderEnded(state: ChatState | undefined) {
    return html`
      <chat-widget-chat-ended
        exportparts="chat-ended"
        .strings=${this.allStrings.chatEnded}
        .rating=${state?.rating ?? null}
        .email=${this.visitorEmail()}
        .transcriptState=${this.transcriptState}
        @chat-widget-rate=${(event: RateEvent) =>
          void this.chat.service?.rate(event.value, event.text ?? undefined)}
        @chat-widget-transcript=${(event: TranscriptEvent) => void this.emailTranscript(event.email)}
        @chat-widget-new-chat=${() => this.startNewChat()}
      ></chat-widget-chat-ended>
    `
  }

  private renderProactive() {
    return html`<div part="proactive" class="proactive" role="status">
      <button class="proactive-text" type="button" @click=${() => this.open()}>
        ${this.greeting}
      </button>
      <button
        class="proactive-dismiss"
        type="button"
        aria-label=${this.allStrings.widget.dismissGreeting}
        @click=${() => this.dismissProactive()}
      >
        ${closeIcon(16)}
      </button>
    </div>`
  }

  /** Starts the proactive greeting's clock, for a visitor who has not chatted or dismissed it. */
  private scheduleProactive(): void {
    clearTimeout(this.proactiveTimer)
    const delay = this.greetingDelay
    if (delay === null || !Number.isFinite(delay) || delay < 0) return
    if (readSession(PROACTIVE_KEY)) return
    this.proactiveTimer = setTimeout(() => {
      const hasChat = (this.chat.state?.items.length ?? 0) > 0
      if (this.greeting && !this.opened && !hasChat && this.mode !== 'inline') {
        this.proactive = true
      }
    }, delay * 1000)
  }

  private dismissProactive(): void {
    this.proactive = false
    try {
      sessionStorage.setItem(PROACTIVE_KEY, 'yes')
    } catch {
      // Storage may be blocked: the bubble may come back on the next page.
    }
  }

  private renderConsent() {
    const strings = this.allStrings.widget
    return html`<div part="consent" class="consent">
      <p>${strings.consent}</p>
      <button part="consent-button" class="primary" type="button" @click=${() => {
        this.grantConsent()
        void this.focusComposer()
      }}>
        ${strings.consentAccept}
      </button>
    </div>`
  }

  private needsConsent(): boolean {
    return this.requireConsent && !this.consented
  }

  private renderError(state: ChatState | undefined) {
    return html`<p part="error" class="error" role="alert">${this.problem(state)}</p>`
  }

  /** Why the chat cannot work, in words for the visitor (and once in the console). */
  private problem(state: ChatState | undefined): string {
    const strings = this.allStrings.widget
    if (!this.server || !this.key) return strings.notSetUp
    if (state?.error?.type === 'not_found') return strings.unknownKey
    if (state?.error) return strings.unavailable
    return ''
  }

  /** Sends dropped, pasted or chosen files; says in the composer which ones cannot go. */
  private attach(files: File[]): void {
    const service = this.chat.service
    if (!service || files.length === 0) return
    const problems = service.sendFiles(files)
    const strings = this.allStrings.widget
    this.notice = problems.map((problem) => describeProblem(problem, strings)).join(' ')
  }

  private async leaveMessage({ name, email, text }: OfflineSubmitEvent): Promise<void> {
    const service = this.chat.service
    if (!service) return
    this.offlineState = 'sending'
    try {
      await service.sendOffline({ name, email, text })
      this.offlineState = 'sent'
    } catch {
      this.offlineState = 'error'
    }
  }

  private async emailTranscript(email: string): Promise<void> {
    const service = this.chat.service
    if (!service || !email) return
    this.transcriptState = 'sending'
    try {
      await service.requestTranscript(email, this.locale)
      this.transcriptState = 'sent'
      if (this.chat.state?.chatStatus !== 'closed') {
        this.notice = this.allStrings.widget.transcriptOnItsWay(email)
      }
    } catch {
      this.transcriptState = 'error'
    }
  }

  private startNewChat(): void {
    this.chat.service?.startNewChat()
    this.transcriptState = 'idle'
    this.focusComposer()
  }

  /** The visitor's email as the server knows it, else the one the page prefilled. */
  private visitorEmail(): string {
    return this.chat.service?.client.getVisitorIdentity()?.email ?? this.email ?? ''
  }

  private configure(): void {
    if (this.needsConsent()) {
      this.chat.configure(undefined)
      return
    }
    if (!this.server || !this.key) {
      this.chat.configure(undefined)
      this.reportOnce(
        `chat-widget: the \`${!this.server ? 'server' : 'key'}\` attribute is required, e.g. <chat-widget server="https://chat.example.com" key="ACCOUNT_KEY">.`,
      )
      return
    }
    this.chat.configure({
      server: this.server,
      key: this.key,
      path: this.path || '/socket',
      identity: this.identity(),
    })
    this.authenticatePending()
  }

  /** Sends `identify()`'s verified identity (buffered by the client until it is connected). */
  private authenticatePending(): void {
    const values = this.pendingAuth
    const client = this.client
    if (!values || !client) return
    this.pendingAuth = null
    client.authenticate(values).catch((error: SocketError) => {
      if (error.type === 'disconnected') return // the widget left or was reconfigured
      this.reportOnce(
        `chat-widget: identify(): the server did not verify the visitor's identity (${error.message}); it stays unverified.`,
      )
    })
  }

  private identity() {
    return {
      ...(this.name ? { name: this.name } : {}),
      ...(this.email ? { email: this.email } : {}),
      ...(this.group ? { group: this.group } : {}),
      ...(this.lang ? { lang: this.lang } : {}),
    }
  }

  private updateIdentity(): void {
    const client = this.client
    if (client?.isInitialized()) client.updateVisitorIdentity(this.identity())
  }

  private onChatState(state: ChatState, previous: ChatState | undefined): void {
    if (state.connection !== previous?.connection) {
      this.dispatchEvent(new ChatWidgetConnectionEvent(state.connection))
    }
    // A new away spell gets a fresh form.
    if (state.accountStatus === 'online' && previous?.accountStatus === 'offline') {
      this.offlineState = 'idle'
    }
    if (state.error && state.error !== previous?.error) {
      this.reportOnce(`chat-widget: the server refused the connection: ${state.error.message}`)
    }
  }

  /** Reading happens when the panel is open in a visible tab: tell the server and other tabs. */
  private markReadIfSeen(): void {
    if (
      this.shown &&
      document.visibilityState === 'visible' &&
      (this.chat.state?.unread ?? 0) > 0
    ) {
      this.chat.service?.markRead()
    }
  }

  private readonly onVisibility = () => this.markReadIfSeen()

  private async loadLanguage(locale: string): Promise<void> {
    const strings = await loadStrings(locale)
    // A later `lang` may have loaded first.
    if (locale === this.locale) this.languageStrings = strings
  }

  /** Escape closes the panel (the menu and the lightbox take their own Escape first). */
  private readonly onPanelKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return
    if (this.mode === 'inline') return
    if (event.composedPath().some((node) => (node as Element).localName === 'dialog')) return
    event.preventDefault()
    this.close()
  }

  /** An agent's new message: said by the live region, and a notification when unseen. */
  private onNewMessage(message: Message): void {
    if (message.subType !== 'agent' || message.type !== 'message') return
    const agent = this.chat.state?.agents.find((a) => a.id === message.agentId)
    const name = agent?.nickname || this.allStrings.messageList.agent
    const text = message.content.text || message.attachments[0]?.fileName || ''
    const said = this.allStrings.widget.newMessage(name, text)
    // The same words twice in a row would not be said again: vary them invisibly.
    this.announcement = said === this.announcement ? `${said}\u00a0` : said
    this.attention.notify(message, said, this.allStrings.widget.titleFlash, this.sound)
  }

  private async focusLauncher(): Promise<void> {
    await this.updateComplete
    this.renderRoot.querySelector('chat-widget-launcher')?.focus()
  }

  private async focusComposer(): Promise<void> {
    await this.updateComplete
    const target = this.needsConsent()
      ? this.renderRoot.querySelector<HTMLElement>('[part~="consent-button"]')
      : this.renderRoot.querySelector('chat-widget-composer')
    target?.focus()
  }

  private reportOnce(message: string): void {
    if (this.reportedError === message) return
    this.reportedError = message
    console.error(message)
  }
}

/** A file the server would refuse, in words for the visitor. */
function describeProblem(problem: UploadProblem, strings: WidgetStrings['widget']): string {
  const name = problem.fileName
  switch (problem.reason) {
    case 'too_large':
      return strings.tooLarge(name, formatFileSize(problem.maxSize))
    case 'type_not_accepted':
      return strings.typeNotAccepted(name)
    case 'empty':
      return strings.empty(name)
  }
}

/** The header shows the account's status once connected, else the connection's. */
function headerStatus(state: ChatState | undefined): ConnectionStatus {
  if (!state) return 'connecting'
  if (state.connection === 'online') return state.accountStatus
  return state.connection
}

export type { Message }
