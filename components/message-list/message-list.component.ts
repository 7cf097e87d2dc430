import {
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type SVGTemplateResult,
  svg,
  type TemplateResult,
} from 'lit'
import { property, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { Agent, Attachment, Message } from '../../src/protocol.ts'
import { base, tokens } from '../../styles/index.ts'
import type { ChatWidgetLightbox, LightboxStrings } from '../lightbox/lightbox.component.ts'
import avatarStyles from '../shared/avatar.styles.ts'
import { avatar } from '../shared/avatar.ts'
import { CancelEvent, DiscardEvent, LoadOlderEvent, RetryEvent } from '../shared/events.ts'
import { formatFileSize, formatFullTime, formatTime } from '../shared/format.ts'
import { closeIcon } from '../shared/icons.ts'
import { linkify, safeHref } from '../shared/linkify.ts'
import { defineOnDemand } from '../shared/on-demand.ts'
import { styleProps } from '../shared/style-props.ts'
import {
  type ChatItem,
  type DeliveryState,
  entrySize,
  groupItems,
  type ListEntry,
  type SenderGroup,
} from './chat-item.ts'
import styles from './message-list.styles.ts'

export type { ChatItem, DeliveryState } from './chat-item.ts'

/** Texts of the message list; set `strings` to translate. */
export interface MessageListStrings {
  /** Accessible name of the log. */
  label: string
  /** Name shown for agent messages without a known agent (automated messages). */
  agent: string
  sending: string
  sent: string
  seen: string
  failed: string
  /** Why a send failed (`item.reason`), said after `failed`: over the server's limit. */
  failedTooLarge: string
  /** Sent too fast: the server still refused it after waiting. */
  failedRateLimited: string
  /** No answer in time, or the connection dropped during an upload. */
  failedNetwork: string
  retry: string
  /** Takes a failed send off the list. */
  remove: string
  /** Accessible name of the cancel button of an upload on its way. */
  cancelUpload: (fileName: string) => string
  /** Accessible name of an upload's progress bar. */
  uploading: (fileName: string) => string
  /** Accessible name of an image's button (it opens the image full size). */
  viewImage: (fileName: string) => string
  /** Said (not shown) before a file's name on its download link. */
  download: string
  newMessages: string
  loadingOlder: string
  agentJoined: (name: string) => string
  agentLeft: (name: string) => string
  agentAssigned: (name: string) => string
  agentUnassigned: (name: string) => string
  chatClosed: string
  rateRequest: string
  rated: (value: number, text: string | null) => string
}

export const defaultMessageListStrings: MessageListStrings = {
  label: 'Messages',
  agent: 'Support',
  sending: 'Sending',
  sent: 'Sent',
  seen: 'Seen',
  failed: 'Not sent',
  failedTooLarge: 'Too large to send',
  failedRateLimited: 'Sent too fast — retry in a moment',
  failedNetwork: 'No connection — retry',
  retry: 'Retry',
  remove: 'Remove',
  cancelUpload: (fileName) => `Cancel sending ${fileName}`,
  uploading: (fileName) => `Sending ${fileName}`,
  viewImage: (fileName) => `View image ${fileName}`,
  download: 'Download',
  newMessages: 'New messages',
  loadingOlder: 'Loading earlier messages…',
  agentJoined: (name) => `${name} joined the chat`,
  agentLeft: (name) => `${name} left the chat`,
  agentAssigned: (name) => `${name} is now handling the chat`,
  agentUnassigned: (name) => `${name} is no longer handling the chat`,
  chatClosed: 'The chat was closed',
  rateRequest: 'How would you rate this chat?',
  rated: (value, text) => `You rated the chat ${value}/5${text ? ` — “${text}”` : ''}`,
}

/** How close to the bottom (px) still counts as "at the bottom" for auto-scrolling. */
const BOTTOM_SLACK = 80
/** How close to the top (px) asks for older messages. */
const TOP_SLACK = 40

// A long chat is rendered in part (windowed): the newest messages first, more above (or below)
// as the visitor scrolls near an edge of what is rendered, and the far side dropped beyond
// `WINDOW_MOST`, so a chat of thousands keeps about as many elements as one of fifty.
/** A chat of up to this many messages is rendered whole, once its newest have painted. */
export const WINDOW_WHOLE = 50
/** Messages rendered when a chat opens (or jumps to its newest): a few screens' worth. */
export const WINDOW_INITIAL = 14
/** The most messages rendered at once (a group is never cut, so a few more at times). */
export const WINDOW_MOST = 90
/** Rendered content kept beyond each edge of the view: so many heights of it, at least `…_PX`. */
const WINDOW_MARGIN = 1.5
const WINDOW_MARGIN_PX = 800
/** The most messages rendered in one frame while scrolling, so no frame runs long. */
const WINDOW_STEP = 6

/** Where the view is: the item whose element is the first one in view, and its offset. */
interface Anchor {
  key: string
  top: number
  scrollTop: number
  scrollHeight: number
}

/**
 * @summary The conversation: messages grouped by sender, system lines, delivery marks, and
 * scrolling that follows new messages without pulling a reader away from older ones.
 *
 * New messages scroll the list to the bottom only when the visitor was already near it, or
 * when the newest message is their own; otherwise a "New messages" pill appears. Reaching the
 * top asks for older messages with `chat-widget-load-older` (while `hasMore`); when they are
 * prepended, the messages in view stay in place. Texts are rendered as text; addresses in them
 * become links (http, https and e-mail addresses only).
 *
 * Files: an upload on its way shows its name, size, a progress bar and a cancel button; a
 * failed send shows why (`item.reason` in the list's words, else `item.error`), Retry (unless
 * `item.retryable` is false) and Remove.
 * Images show their thumbnail in a button that opens them full size in a lightbox; other files
 * are cards with a download link. Only http(s) addresses become links or images.
 *
 * @event chat-widget-retry - The visitor asked to send a failed message again; `event.key` is the item's key.
 * @event chat-widget-cancel - The visitor cancelled an upload on its way; `event.key` is the item's key.
 * @event chat-widget-discard - The visitor removed a failed send; `event.key` is the item's key.
 * @event chat-widget-load-older - The visitor reached the top; `event.before` is the oldest message id.
 *
 * @csspart message-list - The scrolling log (`role="log"`).
 * @csspart greeting - The greeting: the first bubble of the chat, above its oldest message.
 * @csspart group - A run of messages from one sender.
 * @csspart sender - A group's heading: agent avatar and name, and the time.
 * @csspart avatar - An agent's picture or initials.
 * @csspart time - A group's time stamp.
 * @csspart message - Every message bubble or system line; with one of the three below.
 * @csspart message-contact - A message of the visitor.
 * @csspart message-agent - A message of an agent (or an automated one).
 * @csspart message-system - A centred system line (agent joined, chat closed, rating).
 * @csspart delivery-mark - The sending/sent/seen/failed mark beside the visitor's messages.
 * @csspart retry-button - The button under a failed message.
 * @csspart remove-button - The button that takes a failed message off the list.
 * @csspart failure - The line under a failed message: the reason and its buttons.
 * @csspart upload - An upload on its way (or failed): name, size, progress, cancel.
 * @csspart upload-progress - An upload's progress bar (`role="progressbar"`).
 * @csspart cancel-button - An upload's cancel button.
 * @csspart image-button - The button around an image's thumbnail (opens the lightbox).
 * @csspart image - An image's thumbnail.
 * @csspart file-card - A file's download link: type, name and size.
 * @csspart file-icon - The document icon with the file's kind ("PDF") on cards and uploads.
 * @csspart lightbox - The full-size image dialog (with `lightbox-image`, `lightbox-caption`, `lightbox-close`).
 * @csspart new-messages - The "New messages ↓" pill.
 *
 * @cssproperty --chat-widget-accent - Background of the visitor's bubbles, seen marks, the pill.
 * @cssproperty --chat-widget-accent-contrast - Text on the visitor's bubbles.
 * @cssproperty --chat-widget-surface-muted - Background of agent bubbles and system lines.
 * @cssproperty --chat-widget-radius - Bubble corners.
 * @cssproperty --chat-widget-danger - Failed messages.
 */
export class ChatWidgetMessageList extends LitElement {
  static override styles = [tokens, base, avatarStyles, styles]

  /** The conversation, oldest first, as the connection service keeps it (`ChatState.items`). */
  @property({ attribute: false }) items: readonly ChatItem[] = []

  /** Agents of the account, for the names and avatars of their messages. */
  @property({ attribute: false }) agents: Agent[] = []

  /**
   * The site's first words to the visitor: a bubble that opens the chat and stays above its
   * oldest message (shown once that message is loaded and rendered, i.e. without `hasMore`).
   */
  @property() greeting = ''

  /** Whether older messages may exist (`ChatState.hasMore`): reaching the top asks for them. */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false

  /** Set while older messages are loading: shows a spinner and asks for nothing more. */
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false

  /** BCP 47 locale of the time stamps (default: the browser's). */
  @property() locale: string | undefined = undefined

  @property({ attribute: false }) strings: Partial<MessageListStrings> = {}

  /** Texts of the image lightbox. */
  @property({ attribute: false }) lightboxStrings: Partial<LightboxStrings> = {}

  /**
   * Keep the log from announcing what is added (`aria-live="off"`): for a host that announces
   * new messages itself (the root `<chat-widget>` says only the agents' ones).
   */
  @property({ type: Boolean }) quiet = false

  /** New messages arrived below while the visitor was reading older ones. */
  @state() private newBelow = false

  // Rendered elements, looked up when used (as `@query` did; none before the first render).
  get #scroller() {
    return this.renderRoot?.querySelector('[part~="message-list"]') as HTMLElement
  }
  get #lightbox() {
    return this.renderRoot?.querySelector('chat-widget-lightbox') as ChatWidgetLightbox
  }

  #entries: ListEntry[] = []
  /** The rendered part of `entries`: from `first` to before `last`. */
  #first = 0
  #last = 0
  #agentsById = new Map<string, Agent>()
  /** What `updated()` must do to the scroll position once the DOM has the new items. */
  #pendingScroll: { kind: 'bottom' } | { kind: 'keep'; anchor: Anchor } | null = null
  /** A frame is booked to render more near an edge of the rendered part. */
  #edgeFrame = 0
  #edgeTimer: ReturnType<typeof setTimeout> | undefined
  /** The newest were just shown: the margin beyond them fills once they have painted. */
  #fillAfterPaint = false
  /**
   * Keys of the messages that just arrived at the end: only they animate in (not a restored
   * chat, nor older messages rendered as the visitor scrolls).
   */
  #fresh = new Set<string>()
  /** Kept at the bottom as content or size changes (images load, the panel opens…). */
  #pinned = true
  #lastScrollTop = 0
  /** The oldest id we asked older messages for: one request per arrival at the top. */
  #olderRequestedFor: string | null = null
  #resizeObserver: ResizeObserver | null = null

  override connectedCallback() {
    super.connectedCallback()
    this.#resizeObserver ??= new ResizeObserver(() => {
      if (this.#pinned) this.scrollToBottom()
    })
    if (this.hasUpdated) this.#observeSizes()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#resizeObserver?.disconnect()
    cancelAnimationFrame(this.#edgeFrame)
    clearTimeout(this.#edgeTimer)
    this.#edgeFrame = 0
    this.#edgeTimer = undefined
  }

  /** Scrolls to the newest message (the root calls it when the panel opens). */
  scrollToBottom(behavior: ScrollBehavior = 'instant') {
    const scroller = this.#scroller
    if (!scroller) return
    if (this.#last < this.#entries.length) {
      // The newest messages are not rendered (the visitor was reading far back): render them,
      // then scroll.
      this.#showNewest()
      this.#pendingScroll = { kind: 'bottom' }
      this.newBelow = false
      this.requestUpdate()
      return
    }
    scroller.scrollTo({ top: scroller.scrollHeight, behavior })
    this.#pinned = true
    this.#lastScrollTop = scroller.scrollTop
    this.newBelow = false
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('agents')) this.#agentsById = new Map(this.agents.map((a) => [a.id, a]))
    if (changed.has('items')) {
      this.#planScroll(changed.get('items') as readonly ChatItem[] | undefined)
    } else if ((changed.has('hasMore') || changed.has('greeting')) && this.hasUpdated) {
      // The greeting may come or go above: keep what the visitor reads where it is (at the
      // bottom, the resize observer keeps the newest in view).
      const anchor = this.#scroller && !this.#isNearBottom() ? this.#captureAnchor() : null
      if (anchor) this.#pendingScroll = { kind: 'keep', anchor }
    }
  }

  /**
   * Regroups the items and decides, before the DOM changes, which part of them is rendered and
   * how the change moves the scroll position.
   */
  #planScroll(previous: readonly ChatItem[] | undefined) {
    const scroller = this.#scroller
    const last = this.items.at(-1)
    const before = this.#entries
    const atEnd = this.#last >= before.length
    const wasTop = this.#first === 0
    const firstKey = before[this.#first] ? firstItemKey(before[this.#first]!) : null
    const lastKey = before[this.#last - 1] ? lastItemKey(before[this.#last - 1]!) : null
    // Read before the DOM changes; `isNearBottom` also needs the old window.
    const nearBottom =
      scroller &&
      (this.#isNearBottom() || (atEnd && this.#pinned && scroller.scrollTop >= this.#lastScrollTop))
    const anchor = scroller && previous?.length ? this.#captureAnchor() : null
    this.#entries = groupItems(this.items)
    this.#fresh = new Set()
    if (!scroller || !previous?.length || !last) {
      this.#showNewest()
      this.#pendingScroll = { kind: 'bottom' }
      return
    }
    // The same messages as before, wherever the regrouping put them.
    const first = firstKey === null ? -1 : this.#entryOf(firstKey)
    const end = atEnd ? this.#entries.length : lastKey === null ? -1 : this.#entryOf(lastKey) + 1
    if (first < 0 || end <= 0) this.#showNewest()
    else [this.#first, this.#last] = [first, Math.max(end, first + 1)]
    const lastChanged = previous.at(-1)?.key !== last.key
    const firstChanged = previous[0]?.key !== this.items[0]?.key
    this.#fresh = lastChanged ? arrivedAfter(this.items, previous.at(-1)?.key) : new Set()
    // Pinned still counts if the layout moved under us, but not once the visitor scrolled up
    // (whose scroll event may not have arrived yet).
    const keep = anchor ? ({ kind: 'keep', anchor } as const) : null
    if (lastChanged) {
      const follow = nearBottom || last.message.subType === 'contact'
      if (follow) {
        this.#last = this.#entries.length
        this.#trim('top')
        this.#pendingScroll = { kind: 'bottom' }
      } else {
        this.#trim('top')
        this.#pendingScroll = keep
      }
      this.newBelow = !follow
    } else if (firstChanged) {
      // Older messages were prepended: render them if the top was in view, and keep what the
      // visitor is reading where it is.
      if (wasTop) this.#first = 0
      this.#trim('bottom')
      this.#pendingScroll = keep
    } else if (nearBottom) {
      this.#pendingScroll = { kind: 'bottom' }
    }
    if (this.items.length <= WINDOW_WHOLE) [this.#first, this.#last] = [0, this.#entries.length]
  }

  protected override firstUpdated() {
    this.#observeSizes()
  }

  protected override updated(changed: PropertyValues<this>) {
    const plan = this.#pendingScroll
    this.#pendingScroll = null
    if (plan?.kind === 'bottom') this.scrollToBottom()
    else if (plan?.kind === 'keep') this.#restoreAnchor(plan.anchor)
    // A list too short to scroll cannot reach its top by scrolling: ask for more right away.
    if (changed.has('items') || changed.has('hasMore') || changed.has('loadingOlder')) {
      this.#maybeLoadOlder()
    }
    this.#checkEdgesSoon()
  }

  /**
   * Renders the newest messages only (`WINDOW_INITIAL` of them, whole groups), in a short chat
   * too: rendered whole at once, a saved chat of 50 painted later than the newest 14 of 5,000
   * (68 against 49 ms at 4× CPU); its rest follows once they have painted (`#renderWhole`).
   */
  #showNewest() {
    this.#fillAfterPaint = true
    this.#last = this.#entries.length
    this.#first = this.#last
    let count = 0
    while (this.#first > 0 && count < WINDOW_INITIAL)
      count += entrySize(this.#entries[--this.#first]!)
  }

  /** The index of the entry that shows the item of `key`, or -1. */
  #entryOf(key: string): number {
    return this.#entries.findIndex((entry) =>
      entry.kind === 'system' ? entry.key === key : entry.items.some((item) => item.key === key),
    )
  }

  /** Drops entries on one side until at most `WINDOW_MOST` messages are rendered. */
  #trim(side: 'top' | 'bottom') {
    let count = 0
    for (let i = this.#first; i < this.#last; i++) count += entrySize(this.#entries[i]!)
    // Never drop the element that has the focus (a link, an image's button).
    const focused = this.#focusedEntry()
    while (count > WINDOW_MOST && this.#last - this.#first > 1) {
      const index = side === 'top' ? this.#first : this.#last - 1
      if (index === focused) break
      count -= entrySize(this.#entries[index]!)
      if (side === 'top') this.#first++
      else this.#last--
    }
  }

  /** The index of the entry holding the focused element, or -1. */
  #focusedEntry(): number {
    const focused = (this.renderRoot as ShadowRoot).activeElement
    const key = focused?.closest<HTMLElement>('[data-entry]')?.dataset.entry
    if (key === undefined) return -1
    for (let i = this.#first; i < this.#last; i++) if (this.#entries[i]!.key === key) return i
    return -1
  }

  /** The first message (or line) in view and where it is, to put it back after a change. */
  #captureAnchor(): Anchor | null {
    const scroller = this.#scroller
    const top = scroller.getBoundingClientRect().top
    for (const element of this.renderRoot.querySelectorAll<HTMLElement>('[data-key]')) {
      const box = element.getBoundingClientRect()
      if (box.bottom > top) {
        return {
          key: element.dataset.key!,
          top: box.top - top,
          scrollTop: scroller.scrollTop,
          scrollHeight: scroller.scrollHeight,
        }
      }
    }
    return null
  }

  /** Scrolls so the anchor's element is where it was (else keeps the distance to the end). */
  #restoreAnchor(anchor: Anchor) {
    const scroller = this.#scroller
    const element = this.renderRoot.querySelector(`[data-key="${CSS.escape(anchor.key)}"]`)
    if (element) {
      const top = element.getBoundingClientRect().top - scroller.getBoundingClientRect().top
      scroller.scrollTop += top - anchor.top
    } else {
      scroller.scrollTop = anchor.scrollTop + (scroller.scrollHeight - anchor.scrollHeight)
    }
    this.#lastScrollTop = scroller.scrollTop
  }

  /**
   * Looks at the edges once the next frame has painted (after a render, or once the layout
   * settled): what is in view paints first, the margin beyond it fills right after.
   */
  #checkEdgesSoon() {
    if (this.#edgeFrame || this.#edgeTimer) return
    if (this.#first === 0 && this.#last >= this.#entries.length) return
    // rAF runs before its frame paints; a task queued in it runs once it has.
    this.#edgeFrame = requestAnimationFrame(() => {
      this.#edgeFrame = 0
      this.#edgeTimer = setTimeout(() => {
        this.#edgeTimer = undefined
        this.#fillAfterPaint = false
        if (this.items.length <= WINDOW_WHOLE) this.#renderWhole()
        else this.#checkEdges()
      })
    })
  }

  /** A short chat shown from its newest: the rest of it at once, the view kept where it is. */
  #renderWhole() {
    const anchor = this.#captureAnchor()
    ;[this.#first, this.#last] = [0, this.#entries.length]
    if (anchor) this.#pendingScroll = { kind: 'keep', anchor }
    this.requestUpdate()
  }

  /**
   * Renders more above (or below) when the view comes within the margin of an edge of the
   * rendered part, about what the margin holds (at most `WINDOW_STEP` a frame), and drops the
   * far side. From a scroll event it waits for the frame to paint unless the view is within a
   * view's height of the edge: the scroll's own frame stays short (half the frames over 16.7 ms
   * while wheeling up 5,000 messages at 4× CPU, bench/history.ts).
   */
  #checkEdges(fromScroll = false) {
    const scroller = this.#scroller
    if (!scroller || !this.isConnected) return
    const { scrollTop, scrollHeight, clientHeight } = scroller
    if (clientHeight === 0) return
    const margin = Math.max(clientHeight * WINDOW_MARGIN, WINDOW_MARGIN_PX)
    let count = 0
    for (let i = this.#first; i < this.#last; i++) count += entrySize(this.#entries[i]!)
    const perItem = Math.max(16, scrollHeight / Math.max(1, count))
    const below = scrollHeight - scrollTop - clientHeight
    let side: 'top' | 'bottom' | null = null
    if (this.#first > 0 && scrollTop < margin) side = 'top'
    else if (this.#last < this.#entries.length && below < margin) side = 'bottom'
    if (!side) return
    const distance = side === 'top' ? scrollTop : below
    // What is rendered beyond the view still fills a view: more once this frame has painted.
    if (fromScroll && distance >= clientHeight) return this.#checkEdgesSoon()
    const want = Math.min(WINDOW_STEP, Math.max(4, Math.ceil((margin * 1.5 - distance) / perItem)))
    const anchor = this.#captureAnchor()
    let added = 0
    if (side === 'top') {
      while (this.#first > 0 && added < want) added += entrySize(this.#entries[--this.#first]!)
    } else {
      while (this.#last < this.#entries.length && added < want)
        added += entrySize(this.#entries[this.#last++]!)
    }
    this.#trim(side === 'top' ? 'bottom' : 'top')
    if (anchor) this.#pendingScroll = { kind: 'keep', anchor }
    this.requestUpdate()
  }

  #observeSizes() {
    const content = this.renderRoot.querySelector('.content')
    this.#resizeObserver?.observe(this.#scroller)
    if (content) this.#resizeObserver?.observe(content)
  }

  #isNearBottom() {
    if (this.#last < this.#entries.length) return false
    const { scrollHeight, scrollTop, clientHeight } = this.#scroller
    return scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK
  }

  #onScroll() {
    const { scrollTop } = this.#scroller
    // Our own scroll to the newest just shown: nothing moved for the visitor, so the margin
    // can fill once this frame has painted (what is in view paints first).
    const settling = this.#fillAfterPaint && scrollTop === this.#lastScrollTop
    // Only the visitor scrolling up unpins: a scroll event can arrive after the layout changed
    // under it (the panel or a neighbour resized), and that must not count as reading back.
    if (this.#isNearBottom()) {
      this.#pinned = true
      this.newBelow = false
    } else if (scrollTop < this.#lastScrollTop) {
      this.#pinned = false
    }
    this.#lastScrollTop = scrollTop
    if (scrollTop > TOP_SLACK) this.#olderRequestedFor = null
    this.#maybeLoadOlder()
    if (settling) this.#checkEdgesSoon()
    else this.#checkEdges(true)
  }

  #maybeLoadOlder() {
    const oldest = this.items[0]?.message.id
    if (!oldest || !this.hasMore || this.loadingOlder || this.#olderRequestedFor === oldest) return
    if (this.#first > 0) return // the oldest message is not rendered yet
    if (this.#scroller.scrollTop > TOP_SLACK) return
    this.#olderRequestedFor = oldest
    this.dispatchEvent(new LoadOlderEvent(oldest))
  }

  override render() {
    const strings = { ...defaultMessageListStrings, ...this.strings }
    return html`
      <div
        part="message-list"
        class="scroller"
        role="log"
        aria-live=${this.quiet ? 'off' : nothing}
        aria-label=${strings.label}
        aria-busy=${this.loadingOlder ? 'true' : 'false'}
        tabindex="0"
        @scroll=${this.#onScroll}
      >
        <div class="content">
          ${
            this.loadingOlder && this.#first === 0
              ? html`<div class="loading" role="status">
                  <span class="spinner" aria-hidden="true"></span>
                  <span class="visually-hidden">${strings.loadingOlder}</span>
                </div>`
              : nothing
          }
          ${
            this.greeting && !this.hasMore && this.#first === 0
              ? html`<p part="greeting" class="greeting" dir="auto">${this.greeting}</p>`
              : nothing
          }
          ${repeat(
            this.#entries.slice(this.#first, this.#last),
            (entry) => entry.key,
            (entry) =>
              entry.kind === 'system'
                ? this.#renderSystem(entry.item, strings)
                : this.#renderGroup(entry, strings),
          )}
        </div>
      </div>
      <button
        part="new-messages"
        class="pill"
        type="button"
        ?hidden=${!this.newBelow}
        @click=${() => this.scrollToBottom(smoothScroll())}
      >
        ${strings.newMessages} <span aria-hidden="true">↓</span>
      </button>
      <chat-widget-lightbox
        exportparts="lightbox, lightbox-image, lightbox-caption, lightbox-close"
        .strings=${this.lightboxStrings}
      ></chat-widget-lightbox>
    `
  }

  #renderGroup(group: SenderGroup, strings: MessageListStrings) {
    const first = group.items[0]!.message
    const time = this.#renderTime(first.createdAt)
    if (group.kind === 'contact') {
      return html`<div part="group" class="group group--contact" data-entry=${group.key}>
        <div part="sender" class="sender">${time}</div>
        ${repeat(
          group.items,
          (item) => item.key,
          (item) => this.#renderContactMessage(item, strings),
        )}
      </div>`
    }
    const agent = group.agentId ? this.#agentsById.get(group.agentId) : undefined
    const name = agent ? agent.nickname || agent.fullname : strings.agent
    return html`<div part="group" class="group group--agent" data-entry=${group.key}>
      ${avatar(name, agent?.avatar)}
      <div class="stack">
        <div part="sender" class="sender">
          <span class="name">${name}</span>
          ${time}
        </div>
        ${repeat(
          group.items,
          (item) => item.key,
          (item) =>
            html`<div
              part="message message-agent"
              class=${this.#fresh.has(item.key) ? 'bubble fresh' : 'bubble'}
              data-id=${item.message.id}
              data-key=${item.key}
            >
              ${this.#renderContent(item.message, strings)}
            </div>`,
        )}
      </div>
    </div>`
  }

  #renderContactMessage(item: ChatItem, strings: MessageListStrings) {
    const { key, message, state } = item
    const upload = item.pending ? pendingUpload(message) : null
    return html`<div class="row" data-state=${state}>
        <div
          part="message message-contact"
          class=${this.#fresh.has(key) ? 'bubble fresh' : 'bubble'}
          data-id=${message.id}
          data-key=${key}
        >
          ${upload ? this.#renderUpload(item, upload, strings) : this.#renderContent(message, strings)}
        </div>
        <span
          part="delivery-mark"
          class="mark"
          data-state=${state}
          role="img"
          aria-label=${strings[state]}
          title=${strings[state]}
          >${markIcons[state]}</span
        >
      </div>
      ${
        state === 'failed'
          ? html`<div part="failure" class="failed">
              <span class="reason">${failureText(item, strings)}</span>
              ${
                item.retryable !== false
                  ? html`<button
                      part="retry-button"
                      type="button"
                      @click=${() => this.dispatchEvent(new RetryEvent(key, message.id))}
                    >
                      ${strings.retry}
                    </button>`
                  : nothing
              }
              <button
                part="remove-button"
                type="button"
                @click=${() => this.dispatchEvent(new DiscardEvent(key))}
              >
                ${strings.remove}
              </button>
            </div>`
          : nothing
      }`
  }

  /** A file on its way up (or failed): what it is, how far it got, and a way to stop it. */
  #renderUpload(item: ChatItem, file: PendingUpload, strings: MessageListStrings) {
    const sending = item.state === 'sending'
    const { loaded = 0, total = 0 } = item.progress ?? {}
    const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : null
    return html`<div part="upload" class="upload">
      ${fileIcon(file.fileName, file.fileType)}
      <div class="upload-body">
        <span class="file-name">${file.fileName}</span>
        <span class="file-size">
          ${
            sending && percent !== null
              ? `${formatFileSize(loaded)} / ${formatFileSize(total)}`
              : formatFileSize(file.size)
          }
        </span>
        ${
          sending
            ? html`<div
                part="upload-progress"
                class="progress"
                role="progressbar"
                aria-label=${strings.uploading(file.fileName)}
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=${percent ?? nothing}
                aria-valuetext=${percent === null ? nothing : `${percent}%`}
                data-indeterminate=${percent === null ? '' : nothing}
              >
                <span class="bar" ${styleProps({ width: `${percent ?? 30}%` })}></span>
              </div>`
            : nothing
        }
      </div>
      ${
        sending
          ? html`<button
              part="cancel-button"
              class="cancel"
              type="button"
              aria-label=${strings.cancelUpload(file.fileName)}
              title=${strings.cancelUpload(file.fileName)}
              @click=${() => this.dispatchEvent(new CancelEvent(item.key))}
            >
              ${closeIcon(16)}
            </button>`
          : nothing
      }
    </div>`
  }

  #renderContent(message: Message, strings: MessageListStrings) {
    const attachments =
      message.attachments.length > 0
        ? message.attachments
        : message.content.type === 'upload' && message.content.data
          ? [message.content.data as Attachment]
          : []
    return html`${message.content.text ? renderText(message.content.text) : nothing}
    ${attachments.map((attachment) => this.#renderAttachment(attachment, strings))}`
  }

  #renderAttachment(attachment: Attachment, strings: MessageListStrings) {
    const name = String(attachment.fileName ?? '')
    const size = formatFileSize(Number(attachment.size) || 0)
    // An empty address would resolve to the page itself: not a file.
    const href = attachment.url ? safeHref(attachment.url, document.baseURI) : null
    const thumb = attachment.thumb400?.url ? attachment.thumb400 : attachment
    const thumbHref = thumb.url ? safeHref(thumb.url, document.baseURI) : null
    if (attachment.type === 'image' && href && thumbHref) {
      return html`<button
        part="image-button"
        class="image"
        type="button"
        aria-label=${strings.viewImage(name)}
        @pointerenter=${prefetchLightbox}
        @focus=${prefetchLightbox}
        @click=${(event: Event) =>
          this.#openImage(attachment, href, event.currentTarget as HTMLButtonElement)}
      >
        <img
          part="image"
          src=${thumbHref}
          alt=""
          width=${thumb.width ?? nothing}
          height=${thumb.height ?? nothing}
          loading="lazy"
          decoding="async"
        />
      </button>`
    }
    const body = html`${fileIcon(name, attachment.fileType)}
      <span class="file-text">
        ${href ? html`<span class="visually-hidden">${strings.download}</span>` : nothing}
        <span class="file-name">${name}</span>
        <span class="file-size">${size}</span>
      </span>`
    return href
      ? html`<a
          part="file-card"
          class="file"
          href=${href}
          target="_blank"
          rel="noopener noreferrer"
          download=${name}
          >${body}</a
        >`
      : html`<span part="file-card" class="file">${body}</span>`
  }

  /** Opens an image full size; focus comes back to its thumbnail button on close. */
  #openImage(attachment: Attachment, href: string, button: HTMLButtonElement) {
    const show = () => {
      const lightbox = this.#lightbox
      lightbox.width = attachment.width ?? null
      lightbox.height = attachment.height ?? null
      lightbox.show(href, String(attachment.fileName ?? ''), button)
    }
    if (customElements.get('chat-widget-lightbox')) show()
    else {
      // The lightbox's code did not arrive (offline, say): the image opens in a new tab instead.
      loadLightbox().then(show, () => window.open(href, '_blank', 'noopener'))
    }
  }

  #renderSystem({ key, message }: ChatItem, strings: MessageListStrings) {
    const text = this.#systemText(message, strings)
    if (!text) return nothing
    return html`<p
      part="message message-system"
      class="system"
      data-id=${message.id}
      data-key=${key}
      data-entry=${key}
    >
      <span>${text}</span>
      ${this.#renderTime(message.createdAt)}
    </p>`
  }

  #systemText(message: Message, strings: MessageListStrings): string {
    const { content } = message
    const agent = message.agentId ? this.#agentsById.get(message.agentId) : undefined
    const name = agent ? agent.nickname || agent.fullname : strings.agent
    switch (content.type) {
      case 'rate_form': {
        const value = Number(content.data?.value)
        return value > 0 ? strings.rated(value, content.data?.text ?? null) : strings.rateRequest
      }
      case 'agent_join':
        return content.text || strings.agentJoined(name)
      case 'agent_leave':
        return content.text || strings.agentLeft(name)
      case 'agent_assign':
        return content.text || strings.agentAssigned(name)
      case 'agent_unassign':
        return content.text || strings.agentUnassigned(name)
      case 'chat_close':
        return content.text || strings.chatClosed
      default:
        return content.text ?? ''
    }
  }

  #renderTime(iso: string) {
    return html`<time part="time" datetime=${iso} title=${formatFullTime(iso, this.locale)}
      >${formatTime(iso, this.locale)}</time
    >`
  }
}

/** Keys of the items after the one of `key` (all of them if it is gone). */
function arrivedAfter(items: readonly ChatItem[], key: string | undefined): Set<string> {
  const fresh = new Set<string>()
  for (let i = items.length - 1; i >= 0 && items[i]!.key !== key; i--) fresh.add(items[i]!.key)
  return fresh.size === items.length ? new Set() : fresh
}

const firstItemKey = (entry: ListEntry) =>
  entry.kind === 'system' ? entry.key : entry.items[0]!.key
const lastItemKey = (entry: ListEntry) =>
  entry.kind === 'system' ? entry.key : entry.items.at(-1)!.key

/** The local copy of a file being sent: `content.data` of a pending `upload` message. */
interface PendingUpload {
  fileName: string
  fileType: string
  size: number
}

function pendingUpload(message: Message): PendingUpload | null {
  const data = message.content.type === 'upload' ? message.content.data : null
  if (!data || typeof data !== 'object') return null
  return {
    fileName: String(data.fileName ?? ''),
    fileType: String(data.fileType ?? ''),
    size: Number(data.size) || 0,
  }
}

/** A file's kind in a few letters for its icon: "PDF", "ZIP", "DOCX"; from the name, else the type. */
export function fileLabel(fileName: string, fileType = ''): string {
  const dot = fileName.lastIndexOf('.')
  const extension = dot > 0 ? fileName.slice(dot + 1) : ''
  const fromType = fileType.split('/')[1]?.split(/[.+;-]/)[0] ?? ''
  const label = (/^[a-z0-9]{1,5}$/i.test(extension) ? extension : fromType).slice(0, 4)
  return label.toUpperCase()
}

/** A document icon with the file's kind written on it (decorative: the name is beside it). */
function fileIcon(fileName: string, fileType: string) {
  const label = fileLabel(fileName, fileType)
  return html`<span part="file-icon" class="file-icon" aria-hidden="true">
    <svg viewBox="0 0 24 24" width="32" height="32" fill="none" stroke="currentColor"
      stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
      <path d="M14 2.5H6.5a2 2 0 0 0-2 2v15a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V8z" />
      <path d="M14 2.5V8h5.5" />
    </svg>
    ${label ? html`<span class="file-kind">${label}</span>` : nothing}
  </span>`
}

/**
 * A message text as text nodes and safe links; line breaks stay (`white-space: pre-wrap`), and
 * its direction is its own (an Arabic line in an English chat reads right to left).
 */
function renderText(text: string) {
  return html`<p class="text" dir="auto">${linkify(text).map((run) =>
    run.href
      ? html`<a href=${run.href} target="_blank" rel="noopener noreferrer nofollow ugc"
          >${run.text}</a
        >`
      : run.text,
  )}</p>`
}

function smoothScroll(): ScrollBehavior {
  return matchMedia('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth'
}

/** A 16 px stroke icon around the given SVG shapes. */
const icon = (shapes: SVGTemplateResult) =>
  html`<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor"
    stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    ${shapes}
  </svg>`

const markIcons: Record<DeliveryState, TemplateResult> = {
  sending: icon(svg`<circle cx="8" cy="8" r="6" /><path d="M8 4.8V8l2 1.4" />`),
  sent: icon(svg`<path d="M3 8.5l3 3 7-7" />`),
  seen: icon(svg`<path d="M1.5 8.5l3 3 7-7M7.5 11.5l7-7" />`),
  failed: icon(svg`<circle cx="8" cy="8" r="6.5" /><path d="M8 4.5v4M8 11.2v.1" />`),
}

/** The lightbox loads when an image is first pointed at, focused or opened (few chats show one). */
const loadLightbox = () =>
  defineOnDemand('chat-widget-lightbox', () => import('../lightbox/lightbox.ts'))
const prefetchLightbox = () => void loadLightbox().catch(() => {})

/**
 * Why a send failed, in the list's words: a known kind of failure (`item.reason`) is translated;
 * the error's own text is the server's English and shows only where no kind is given.
 */
function failureText(item: ChatItem, strings: MessageListStrings): string {
  switch (item.reason) {
    case 'too_large':
      return strings.failedTooLarge
    case 'rate_limited':
      return strings.failedRateLimited
    case 'network':
      return strings.failedNetwork
    case undefined:
      return item.error || strings.failed
    default:
      return strings.failed
  }
}
