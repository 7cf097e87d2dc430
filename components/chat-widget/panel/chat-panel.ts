/**
 * The open chat of `<chat-widget>`: its connection (`ChatController` → `ChatService` → one
 * socket), the panel (header, messages, composer, offline form, end of chat, drop zone),
 * announcements and attention. The element itself
 * is a small shell (launcher, attributes, open/close) that `import()`s this module when the
 * visitor shows intent, the page calls the API, or a saved chat must receive replies at once.
 */
import { type CSSResult, html, nothing, type PropertyValues, type ReactiveController } from 'lit'
import type { SocketError } from '../../../src/client/socket-error.ts'
import type { VisitorClient } from '../../../src/client/visitor-client.ts'
import type { AccountStatus, AuthenticateValues, Message } from '../../../src/protocol.ts'
import type { ChatState } from '../../../src/store/chat-service.ts'
import type { UploadProblem } from '../../../src/store/upload-check.ts'
import type { TranscriptState } from '../../chat-ended/chat-ended.component.ts'
import '../../composer/composer.ts'
import '../../drop-zone/drop-zone.ts'
import type { HeaderStatus } from '../../header/header.component.ts'
import '../../header/header.ts'
import { en, isRightToLeft, mergeStrings } from '../../i18n/index.ts'
import type { WidgetStrings } from '../../i18n/strings.ts'
import '../../message-list/message-list.ts'
import { WINDOW_INITIAL } from '../../message-list/message-list.component.ts'
import type { FormState as OfflineFormState } from '../../offline-form/offline-form.component.ts'
import type {
  AttachEvent,
  CancelEvent,
  DiscardEvent,
  OfflineSubmitEvent,
  RateEvent,
  RetryEvent,
  SendEvent,
  TranscriptEvent,
  TypingEvent,
} from '../../shared/events.ts'
import { formatFileSize, prepareFormats } from '../../shared/format.ts'
import { defineOnDemand } from '../../shared/on-demand.ts'
import '../../typing-indicator/typing-indicator.ts'
import type { ChatWidget } from '../chat-widget.component.ts'
import { ChatWidgetConnectionEvent, ChatWidgetMessageEvent } from '../events.ts'
import { whenIdle } from '../idle.ts'
import { AttentionController } from './attention.controller.ts'
import { ChatController } from './chat-controller.ts'
import panelStyles from './panel.styles.ts'
import { type RehearsedChat, rehearseOpen } from './rehearsal.ts'
import { ViewportController } from './viewport.ts'

/** What the panel needs from the shell besides the element's public API. */
export interface PanelShell {
  /** The built-in texts of the widget's language; null for English. */
  languageStrings(): WidgetStrings | null
  needsConsent(): boolean
  /** Logs `message` once (not again while it repeats). */
  reportOnce(message: string): void
  /** `identify()`'s verified identity, taken once, until there is a client to send it with. */
  takePendingAuth(): AuthenticateValues | null
  /** Whether this visitor has a chat that must connect at once on their next page view. */
  rememberChat(active: boolean): void
  /** The account's status from the HTTP status endpoint ('' while unknown). */
  accountStatus(): AccountStatus | ''
  /** Whether this visitor has a chat in progress (its saved messages are being read). */
  hasChat(): boolean
}

export class ChatPanel implements ReactiveController {
  readonly chat: ChatController
  readonly #attention: AttentionController

  /** What the polite live region says: the last new agent message. */
  #announcement = ''
  /** A line above the composer: files that could not be sent, a transcript on its way. */
  private notice = ''
  private offlineState: OfflineFormState = 'idle'
  private transcriptState: TranscriptState = 'idle'
  readonly #host: ChatWidget
  readonly #shell: PanelShell

  constructor(host: ChatWidget, shell: PanelShell) {
    this.#host = host
    this.#shell = shell
    this.chat = new ChatController(host, {
      onMessage: (message) => {
        host.dispatchEvent(new ChatWidgetMessageEvent(message))
        this.#onNewMessage(message)
      },
      onState: (state, previous) => this.#onChatState(state, previous),
    })
    this.#attention = new AttentionController(host)
    new ViewportController(host)
    host.addController(this)
    adoptStyles(host.renderRoot, panelStyles)
    this.configure()
    // A page's first time format loads the locale's data (~100 ms at 4x CPU). A saved chat's
    // messages need it: built while they are read. A first open has nothing to show a time
    // for yet: it waits for an idle moment after the panel has painted. Before an open (the
    // visitor's intent connected, or a chat in progress), that moment also prepares the open.
    if (shell.hasChat()) prepareFormats(host.locale)
    if (host.opened || host.mode === 'inline') whenIdle(() => prepareFormats(host.locale))
    else
      warmUp(host.locale, shell.accountStatus(), host.renderRoot, () => {
        const state = this.chat.state
        // The newest that the open renders first, no more (a longer list fills its margins).
        return state
          ? { items: state.items.slice(-WINDOW_INITIAL), agents: state.agents, locale: host.locale }
          : null
      })
    // Nobody online: the leave-a-message form shows once connected; fetch it meanwhile.
    if (shell.accountStatus() === 'offline') this.#need('chat-widget-offline-form')
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility)
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility)
  }

  get client(): VisitorClient | undefined {
    return this.chat.service?.client
  }

  get state(): ChatState | undefined {
    return this.chat.state
  }

  /** The texts in use: the language's, with the site owner's `strings` on top. */
  get strings(): WidgetStrings {
    return mergeStrings(mergeStrings(en, this.#shell.languageStrings() ?? en), this.#host.strings)
  }

  /** From the host's `willUpdate`: reconnect or update the identity as attributes change. */
  hostChanged(changed: PropertyValues<ChatWidget>): void {
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
      this.#updateIdentity()
    }
  }

  /** From the host's `updated`. */
  hostUpdated(): void {
    this.#attention.update(this.#shown, this.chat.state?.unread ?? 0)
    this.#markReadIfSeen()
  }

  configure(): void {
    const host = this.#host
    if (this.#shell.needsConsent()) {
      this.chat.configure(undefined)
      return
    }
    if (!host.server || !host.key) {
      this.chat.configure(undefined)
      this.#shell.reportOnce(
        `chat-widget: the \`${!host.server ? 'server' : 'key'}\` attribute is required, e.g. <chat-widget server="https://chat.example.com" key="ACCOUNT_KEY">.`,
      )
      return
    }
    this.chat.configure({
      server: host.server,
      key: host.key,
      path: host.path || '/socket',
      identity: this.#identity(),
    })
    this.authenticatePending()
  }

  /** Sends `identify()`'s verified identity (buffered by the client until it is connected). */
  authenticatePending(): void {
    const client = this.client
    if (!client) return
    const values = this.#shell.takePendingAuth()
    if (!values) return
    client.authenticate(values).catch((error: SocketError) => {
      if (error.type === 'disconnected') return // the widget left or was reconfigured
      this.#shell.reportOnce(
        `chat-widget: identify(): the server did not verify the visitor's identity (${error.message}); it stays unverified.`,
      )
    })
  }

  async send(text: string): Promise<void> {
    const service = this.chat.service
    if (!service) throw new Error('chat-widget: set `server` and `key` before sending')
    const trimmed = text.trim()
    if (trimmed) await service.send(trimmed)
  }

  async reset(): Promise<void> {
    this.notice = ''
    this.offlineState = 'idle'
    this.transcriptState = 'idle'
    this.#shell.rememberChat(false)
    await this.chat.reset()
  }

  /** What gets focus when the panel opens: the text field, or the consent button. */
  focusTarget(): HTMLElement | null {
    const root = this.#host.renderRoot
    return this.#shell.needsConsent()
      ? root.querySelector<HTMLElement>('[part~="consent-button"]')
      : root.querySelector('chat-widget-composer')
  }

  /** The polite live region that says new agent messages. */
  renderLive() {
    return html`<div class="visually-hidden" role="status" aria-live="polite">
      ${this.#announcement}
    </div>`
  }

  render() {
    const state = this.chat.state
    const host = this.#host
    const strings = this.strings
    const title = host.title || strings.widget.title
    const chatOpen = state?.chatStatus === 'open' || state?.chatStatus === 'pending'
    return html`
      <section
        part="panel"
        class="panel"
        role=${host.mode === 'inline' ? 'region' : 'dialog'}
        aria-label=${title}
        title=""
        lang=${host.locale}
        dir=${isRightToLeft(host.locale) ? 'rtl' : 'ltr'}
        @keydown=${this.#onPanelKeyDown}
      >
        <chat-widget-header
          .strings=${strings.header}
          exportparts="header, status-badge, title, avatar, close-button, menu-button, menu, menu-item"
          account-name=${title}
          .agent=${state?.agent ?? null}
          .status=${headerStatus(state)}
          .canEnd=${chatOpen}
          .canTranscript=${chatOpen && !!this.#visitorEmail()}
          .canClose=${host.mode !== 'inline'}
          @chat-widget-minimize=${() => host.close()}
          @chat-widget-end-chat=${() => void this.chat.service?.endChat()}
          @chat-widget-transcript-request=${() => void this.#emailTranscript(this.#visitorEmail())}
        ></chat-widget-header>
        ${
          this.#shell.needsConsent()
            ? this.#renderConsent(strings)
            : this.#problem(state, strings)
              ? html`<p part="error" class="error" role="alert">${this.#problem(state, strings)}</p>`
              : this.#renderChat(state, strings)
        }
      </section>
    `
  }

  #renderChat(state: ChatState | undefined, strings: WidgetStrings) {
    const closed = state?.chatStatus === 'closed'
    // Leave-a-message mode: connected, nobody online, no closed chat to wrap up first, and no
    // agent answering this chat. A conversation keeps its composer (and the visitor's draft)
    // when its agent goes offline or their console drops for a moment; the header then says
    // "Away" (`agentAway`).
    const leaveMessage =
      state?.connection === 'online' && state.accountStatus === 'offline' && !closed && !state.agent
    const items = state?.items ?? []
    return html`
      <chat-widget-drop-zone
        exportparts="drop-zone"
        .strings=${strings.dropZone}
        ?disabled=${closed || leaveMessage}
        @chat-widget-attach=${(event: AttachEvent) => this.#attach(event.files)}
      >
        ${
          leaveMessage && items.length === 0
            ? nothing
            : html`<chat-widget-message-list
              exportparts="message-list, message, message-contact, message-agent, message-system, greeting, new-messages, retry-button, remove-button, cancel-button, upload, upload-progress, failure, image-button, image, file-card, lightbox, lightbox-image, lightbox-caption, lightbox-close"
              .items=${items}
              .agents=${state?.agents ?? []}
              .greeting=${this.#host.greeting}
              .hasMore=${state?.hasMore ?? false}
              .locale=${this.#host.locale}
              .strings=${strings.messageList}
              .lightboxStrings=${strings.lightbox}
              quiet
              @chat-widget-retry=${(event: RetryEvent) => void this.chat.service?.retry(event.key)}
              @chat-widget-cancel=${(event: CancelEvent) => this.chat.service?.cancel(event.key)}
              @chat-widget-discard=${(event: DiscardEvent) => this.chat.service?.discard(event.key)}
              @chat-widget-load-older=${() => void this.chat.service?.loadOlder()}
            ></chat-widget-message-list>`
        }
        ${
          closed
            ? this.#renderEnded(state, strings)
            : leaveMessage
              ? this.#renderOfflineForm(state, strings)
              : this.#renderComposer(state, strings)
        }
      </chat-widget-drop-zone>
    `
  }

  #renderComposer(state: ChatState | undefined, strings: WidgetStrings) {
    return html`
      <chat-widget-typing-indicator
        exportparts="typing-indicator"
        .strings=${strings.typingIndicator}
        .typing=${state?.agentTyping ?? false}
        .name=${state?.agent?.nickname ?? ''}
      ></chat-widget-typing-indicator>
      <chat-widget-composer
        exportparts="composer, input, send-button, attach-button, notice, counter"
        .strings=${strings.composer}
        .accept=${state?.uploadLimits?.acceptedTypes.join(',') ?? ''}
        .maxLength=${state?.maxTextLength ?? 0}
        .notice=${this.notice}
        @chat-widget-send=${(event: SendEvent) => void this.send(event.text)}
        @chat-widget-typing=${(event: TypingEvent) => this.chat.service?.typing(event.typing)}
        @chat-widget-attach=${(event: AttachEvent) => {
          // The drop zone around would hear it too: one attach per gesture.
          event.stopPropagation()
          this.#attach(event.files)
        }}
        @chat-widget-notice-dismiss=${() => this.#set({ notice: '' })}
      ></chat-widget-composer>
    `
  }

  #renderOfflineForm(state: ChatState | undefined, strings: WidgetStrings) {
    this.#need('chat-widget-offline-form')
    return html`
      <chat-widget-offline-form
        exportparts="offline-form"
        .strings=${strings.offlineForm}
        .name=${this.client?.getVisitorIdentity()?.name ?? this.#host.name}
        .email=${this.#visitorEmail()}
        .state=${this.offlineState}
        .maxLength=${state?.maxTextLength ?? 0}
        @chat-widget-offline-submit=${(event: OfflineSubmitEvent) => void this.#leaveMessage(event)}
      ></chat-widget-offline-form>
    `
  }

  #renderEnded(state: ChatState | undefined, strings: WidgetStrings) {
    this.#need('chat-widget-chat-ended')
    return html`
      <chat-widget-chat-ended
        exportparts="chat-ended"
        .strings=${strings.chatEnded}
        .rating=${state?.rating ?? null}
        .email=${this.#visitorEmail()}
        .transcriptState=${this.transcriptState}
        @chat-widget-rate=${(event: RateEvent) =>
          void this.chat.service?.rate(event.value, event.text ?? undefined)}
        @chat-widget-transcript=${(event: TranscriptEvent) => void this.#emailTranscript(event.email)}
        @chat-widget-new-chat=${() => this.#startNewChat()}
      ></chat-widget-chat-ended>
    `
  }

  #renderConsent(strings: WidgetStrings) {
    return html`<div part="consent" class="consent">
      <p>${strings.widget.consent}</p>
      <button part="consent-button" class="primary" type="button" @click=${() => {
        this.#host.grantConsent()
        void this.#host.updateComplete.then(() => this.focusTarget()?.focus())
      }}>
        ${strings.widget.consentAccept}
      </button>
    </div>`
  }

  /** Why the chat cannot work, in words for the visitor (and once in the console). */
  #problem(state: ChatState | undefined, strings: WidgetStrings): string {
    if (!this.#host.server || !this.#host.key) return strings.widget.notSetUp
    if (state?.error?.type === 'not_found') return strings.widget.unknownKey
    if (state?.error) return strings.widget.unavailable
    return ''
  }

  /** Loads a part that only some chats show (it renders once defined); a failure is told once. */
  #need(tag: keyof typeof ON_DEMAND): void {
    defineOnDemand(tag, ON_DEMAND[tag]).catch(() => {
      this.#shell.reportOnce(`chat-widget: could not load <${tag}>; trying again.`)
      setTimeout(() => this.#host.requestUpdate(), RETRY_DELAY)
    })
  }

  /** Sets panel state and re-renders the host. */
  #set(changes: {
    notice?: string
    offlineState?: OfflineFormState
    transcriptState?: TranscriptState
  }) {
    Object.assign(this, changes)
    this.#host.requestUpdate()
  }

  /** Sends dropped, pasted or chosen files; says in the composer which ones cannot go. */
  #attach(files: File[]): void {
    const service = this.chat.service
    if (!service || files.length === 0) return
    const problems = service.sendFiles(files)
    const strings = this.strings.widget
    this.#set({ notice: problems.map((problem) => describeProblem(problem, strings)).join(' ') })
  }

  async #leaveMessage({ name, email, text }: OfflineSubmitEvent): Promise<void> {
    const service = this.chat.service
    if (!service) return
    this.#set({ offlineState: 'sending' })
    try {
      await service.sendOffline({ name, email, text })
      this.#set({ offlineState: 'sent' })
    } catch {
      this.#set({ offlineState: 'error' })
    }
  }

  async #emailTranscript(email: string): Promise<void> {
    const service = this.chat.service
    if (!service || !email) return
    this.#set({ transcriptState: 'sending' })
    try {
      await service.requestTranscript(email, this.#host.locale)
      this.#set({ transcriptState: 'sent' })
      if (this.chat.state?.chatStatus !== 'closed') {
        this.#set({ notice: this.strings.widget.transcriptOnItsWay(email) })
      }
    } catch {
      this.#set({ transcriptState: 'error' })
    }
  }

  #startNewChat(): void {
    this.chat.service?.startNewChat()
    this.#set({ transcriptState: 'idle' })
    void this.#host.updateComplete.then(() => this.focusTarget()?.focus())
  }

  /** The visitor's email as the server knows it, else the one the page prefilled. */
  #visitorEmail(): string {
    return this.client?.getVisitorIdentity()?.email ?? this.#host.email ?? ''
  }

  #identity() {
    const host = this.#host
    return {
      ...(host.name ? { name: host.name } : {}),
      ...(host.email ? { email: host.email } : {}),
      ...(host.group ? { group: host.group } : {}),
      ...(host.lang ? { lang: host.lang } : {}),
    }
  }

  #updateIdentity(): void {
    const client = this.client
    if (client?.isInitialized()) client.updateVisitorIdentity(this.#identity())
  }

  #onChatState(state: ChatState, previous: ChatState | undefined): void {
    if (state.connection !== previous?.connection) {
      this.#host.dispatchEvent(new ChatWidgetConnectionEvent(state.connection))
    }
    // A new away spell gets a fresh form.
    if (state.accountStatus === 'online' && previous?.accountStatus === 'offline') {
      this.offlineState = 'idle'
    }
    if (state.error && state.error !== previous?.error) {
      this.#shell.reportOnce(
        `chat-widget: the server refused the connection: ${state.error.message}`,
      )
    }
    // Unsent messages, or (as the server tells once connected) an open chat: connect at once
    // on the next page view, so replies arrive; nothing of the kind: wait for the visitor.
    const outbox = state.items.some((item) => item.pending)
    if (outbox) this.#shell.rememberChat(true)
    else if (state.connection === 'online') {
      const open = state.chatStatus === 'open' || state.chatStatus === 'pending'
      this.#shell.rememberChat(open && state.items.length > 0)
    }
  }

  /** Whether the chat is on screen: open, or inline (always). */
  get #shown(): boolean {
    return this.#host.opened || this.#host.mode === 'inline'
  }

  /** Reading happens when the panel is open in a visible tab: tell the server and other tabs. */
  #markReadIfSeen(): void {
    if (
      this.#shown &&
      document.visibilityState === 'visible' &&
      (this.chat.state?.unread ?? 0) > 0
    ) {
      this.chat.service?.markRead()
    }
  }

  readonly #onVisibility = () => this.#markReadIfSeen()

  /** Escape closes the panel (the menu and the lightbox take their own Escape first). */
  readonly #onPanelKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return
    if (this.#host.mode === 'inline') return
    if (event.composedPath().some((node) => (node as Element).localName === 'dialog')) return
    event.preventDefault()
    this.#host.close()
  }

  /** An agent's new message: said by the live region, and a notification when unseen. */
  #onNewMessage(message: Message): void {
    if (message.subType !== 'agent' || message.type !== 'message') return
    const strings = this.strings
    const agent = this.chat.state?.agents.find((a) => a.id === message.agentId)
    const name = agent?.nickname || strings.messageList.agent
    const text = message.content.text || message.attachments[0]?.fileName || ''
    const said = strings.widget.newMessage(name, text)
    // The same words twice in a row would not be said again: vary them invisibly.
    this.#announcement = said === this.#announcement ? `${said}\u00a0` : said
    this.#host.requestUpdate()
    this.#attention.notify(message, said, strings.widget.titleFlash, this.#host.sound)
  }
}

/** How long after a part failed to load it is tried again (on the next render), in ms. */
const RETRY_DELAY = 5000

/** The panel's parts that only some chats show: loaded when first rendered (or ahead, see `warmUp`). */
const ON_DEMAND = {
  'chat-widget-offline-form': () => import('../../offline-form/offline-form.ts'),
  'chat-widget-chat-ended': () => import('../../chat-ended/chat-ended.ts'),
}

/**
 * Does ahead, in idle moments before the visitor opens the chat, the work of a first open that
 * needs no connection, one step a moment (each is a long task at 4x CPU): the time formats of
 * `locale`; the panel's own style sheet and the leave-a-message form when nobody is online (a
 * failure is left to the open, which tries again and tells); a rehearsal of the parts' first
 * render in `root` (rehearsal.ts), which also builds their style sheets. Returns a function that
 * cancels the steps not yet run.
 */
export function warmUp(
  locale: string,
  accountStatus: AccountStatus | '',
  root: HTMLElement | DocumentFragment,
  chat?: () => RehearsedChat | null,
): () => void {
  const steps = [
    () => prepareFormats(locale),
    () => {
      if (accountStatus === 'offline')
        void defineOnDemand(
          'chat-widget-offline-form',
          ON_DEMAND['chat-widget-offline-form'],
        ).catch(() => {})
      void panelStyles.styleSheet
    },
    () => rehearseOpen(root, accountStatus === 'offline', chat),
  ]
  let cancel = () => {}
  const next = () => {
    const step = steps.shift()
    if (step)
      cancel = whenIdle(() => {
        step()
        next()
      })
  }
  next()
  return () => cancel()
}

/** Adds the panel's own sheet to the element's (the shell carries only the launcher's). */
function adoptStyles(root: HTMLElement | DocumentFragment, styles: CSSResult): void {
  if (!(root instanceof ShadowRoot)) return
  if (styles.styleSheet) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet]
  } else {
    const style = document.createElement('style')
    style.textContent = styles.cssText
    root.append(style)
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
function headerStatus(state: ChatState | undefined): HeaderStatus {
  if (!state) return 'connecting'
  if (state.connection !== 'online') return state.connection
  return agentAway(state) ? 'away' : state.accountStatus
}

/** Nobody online, but an agent answers this open chat: it goes on, the agent reads it later. */
function agentAway(state: ChatState): boolean {
  return state.accountStatus === 'offline' && !!state.agent && state.chatStatus !== 'closed'
}
