/**
 * The widget's events: one small typed `Event` subclass each, with a `static eventName`, listed
 * in `GlobalEventHandlersEventMap` so `addEventListener('chat-widget-send', e => e.text)` is typed.
 *
 * All of them bubble and are composed: they leave the subcomponent's shadow root so the root
 * `<chat-widget>` (whose shadow root holds the subcomponents) can handle them in one place. The
 * root decides whether they go on to the page. They fire on user actions only, never when code
 * sets a property.
 */

/** Base of our events: `bubbles` and `composed` unless the caller says otherwise. */
export abstract class ChatWidgetEvent extends Event {
  constructor(type: string, init: EventInit = {}) {
    super(type, { bubbles: true, composed: true, ...init })
  }
}

/** The visitor clicked the launcher; `open` is the state they asked for. (Not named `ToggleEvent`: the DOM has one.) */
export class LauncherToggleEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-toggle'
  constructor(readonly open: boolean) {
    super(LauncherToggleEvent.eventName)
  }
}

/** The visitor asked to minimize the chat panel (the header's close button). */
export class MinimizeEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-minimize'
  constructor() {
    super(MinimizeEvent.eventName)
  }
}

/** The visitor submitted a message; `text` is trimmed and never empty. */
export class SendEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-send'
  constructor(readonly text: string) {
    super(SendEvent.eventName)
  }
}

/** The visitor started (`typing: true`, repeated while they type) or stopped typing. */
export class TypingEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-typing'
  constructor(readonly typing: boolean) {
    super(TypingEvent.eventName)
  }
}

/** The visitor asked to send a failed message again. */
export class RetryEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-retry'
  constructor(
    /** The `ChatItem.key` (the clientId of a pending send): what `ChatService.retry()` takes. */
    readonly key: string,
    /** The message's id; for a send the server never stored, a local `local-…` id. */
    readonly messageId: string,
  ) {
    super(RetryEvent.eventName)
  }
}

/**
 * The visitor scrolled to the top of the message list: load the page older than `before`
 * (the oldest message shown, or null when the list is empty) — `chatHistory({ before })`.
 */
export class LoadOlderEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-load-older'
  constructor(readonly before: string | null) {
    super(LoadOlderEvent.eventName)
  }
}

/** The visitor chose files to send: the attach button, a paste of images, or a drop. */
export class AttachEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-attach'
  constructor(readonly files: File[]) {
    super(AttachEvent.eventName)
  }
}

/** The visitor dismissed the composer's notice ("report.exe can't be sent…"). */
export class NoticeDismissEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-notice-dismiss'
  constructor() {
    super(NoticeDismissEvent.eventName)
  }
}

/** The visitor cancelled an upload on its way; `key` is the item's `ChatItem.key`. */
export class CancelEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-cancel'
  constructor(readonly key: string) {
    super(CancelEvent.eventName)
  }
}

/** The visitor removed a failed send (message or upload) from the list; `key` is its `ChatItem.key`. */
export class DiscardEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-discard'
  constructor(readonly key: string) {
    super(DiscardEvent.eventName)
  }
}

/** The visitor chose "End chat" in the header menu. */
export class EndChatEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-end-chat'
  constructor() {
    super(EndChatEvent.eventName)
  }
}

/**
 * The visitor chose "Email transcript" in the header menu: the root asks for an address (or
 * uses the one it knows) and then sends `chat-widget-transcript` itself.
 */
export class TranscriptRequestEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-transcript-request'
  constructor() {
    super(TranscriptRequestEvent.eventName)
  }
}

/** The visitor left a message while no one was online; all fields trimmed, `name` may be empty. */
export class OfflineSubmitEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-offline-submit'
  constructor(
    readonly name: string,
    readonly email: string,
    readonly text: string,
  ) {
    super(OfflineSubmitEvent.eventName)
  }
}

/** The visitor rated the chat: `value` 1–5 (thumbs: up 5, down 1), `text` a comment or null. */
export class RateEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-rate'
  constructor(
    readonly value: number,
    readonly text: string | null,
  ) {
    super(RateEvent.eventName)
  }
}

/** The visitor asked for the transcript of the chat at `email` (trimmed, checked). */
export class TranscriptEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-transcript'
  constructor(readonly email: string) {
    super(TranscriptEvent.eventName)
  }
}

/** The visitor asked to start a new chat after the last one ended. */
export class NewChatEvent extends ChatWidgetEvent {
  static readonly eventName = 'chat-widget-new-chat'
  constructor() {
    super(NewChatEvent.eventName)
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    [LauncherToggleEvent.eventName]: LauncherToggleEvent
    [MinimizeEvent.eventName]: MinimizeEvent
    [SendEvent.eventName]: SendEvent
    [TypingEvent.eventName]: TypingEvent
    [RetryEvent.eventName]: RetryEvent
    [LoadOlderEvent.eventName]: LoadOlderEvent
    [AttachEvent.eventName]: AttachEvent
    [NoticeDismissEvent.eventName]: NoticeDismissEvent
    [CancelEvent.eventName]: CancelEvent
    [DiscardEvent.eventName]: DiscardEvent
    [EndChatEvent.eventName]: EndChatEvent
    [TranscriptRequestEvent.eventName]: TranscriptRequestEvent
    [OfflineSubmitEvent.eventName]: OfflineSubmitEvent
    [RateEvent.eventName]: RateEvent
    [TranscriptEvent.eventName]: TranscriptEvent
    [NewChatEvent.eventName]: NewChatEvent
  }
}
