/** Events of the console's elements: each a small typed `Event`, bubbling and composed. */

/** The agent picked a chat in the list (or went back to the list: `null`). */
export class ChatSelectEvent extends Event {
  static readonly eventName = 'console-chat-select'
  constructor(readonly chatId: string | null) {
    super(ChatSelectEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The open chat was marked read on the server. */
export class ChatReadEvent extends Event {
  static readonly eventName = 'console-chat-read'
  constructor(readonly chatId: string) {
    super(ChatReadEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The agent sent the composer's text. */
export class ComposerSendEvent extends Event {
  static readonly eventName = 'console-send'
  constructor(readonly text: string) {
    super(ComposerSendEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The agent started or stopped typing (already throttled by the composer). */
export class ComposerTypingEvent extends Event {
  static readonly eventName = 'console-typing'
  constructor(readonly isTyping: boolean) {
    super(ComposerTypingEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The agent chose files to send (attach button, paste, or a drop on the conversation). */
export class ComposerFilesEvent extends Event {
  static readonly eventName = 'console-files'
  constructor(readonly files: File[]) {
    super(ComposerFilesEvent.eventName, { bubbles: true, composed: true })
  }
}

/** The agent submitted a token in the sign-in form. */
export class SignInEvent extends Event {
  static readonly eventName = 'console-sign-in'
  constructor(readonly token: string) {
    super(SignInEvent.eventName, { bubbles: true, composed: true })
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'console-chat-select': ChatSelectEvent
    'console-chat-read': ChatReadEvent
    'console-send': ComposerSendEvent
    'console-typing': ComposerTypingEvent
    'console-files': ComposerFilesEvent
    'console-sign-in': SignInEvent
  }
}
