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

declare global {
  interface GlobalEventHandlersEventMap {
    [LauncherToggleEvent.eventName]: LauncherToggleEvent
    [MinimizeEvent.eventName]: MinimizeEvent
    [SendEvent.eventName]: SendEvent
    [TypingEvent.eventName]: TypingEvent
    [RetryEvent.eventName]: RetryEvent
    [LoadOlderEvent.eventName]: LoadOlderEvent
  }
}
