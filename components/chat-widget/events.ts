/**
 * The public DOM events of `<chat-widget>`. They bubble and are composed so a page can listen
 * on the element or anywhere above it (`document.addEventListener('chat-widget-message', …)`).
 */
import type { Message } from '../../src/protocol.ts'
import type { ConnectionStatus } from '../../src/store/chat-service.ts'

/** The panel opened (by the visitor, an attribute, or `open()`). */
export class ChatWidgetOpenEvent extends Event {
  static readonly eventName = 'chat-widget-open'
  constructor() {
    super(ChatWidgetOpenEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The panel closed. */
export class ChatWidgetCloseEvent extends Event {
  static readonly eventName = 'chat-widget-close'
  constructor() {
    super(ChatWidgetCloseEvent.eventName, { bubbles: true, composed: true })
  }
}

/** A message new to this page: a reply, the visitor's own once stored, one missed while away. */
export class ChatWidgetMessageEvent extends CustomEvent<Message> {
  static readonly eventName = 'chat-widget-message'
  constructor(message: Message) {
    super(ChatWidgetMessageEvent.eventName, { detail: message, bubbles: true, composed: true })
  }
}

/** The connection changed: `connecting` | `online` | `reconnecting` | `offline`. */
export class ChatWidgetConnectionEvent extends CustomEvent<ConnectionStatus> {
  static readonly eventName = 'chat-widget-connection'
  constructor(status: ConnectionStatus) {
    super(ChatWidgetConnectionEvent.eventName, { detail: status, bubbles: true, composed: true })
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    [ChatWidgetOpenEvent.eventName]: ChatWidgetOpenEvent
    [ChatWidgetCloseEvent.eventName]: ChatWidgetCloseEvent
    [ChatWidgetMessageEvent.eventName]: ChatWidgetMessageEvent
    [ChatWidgetConnectionEvent.eventName]: ChatWidgetConnectionEvent
  }
}
