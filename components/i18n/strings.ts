import type { ChatEndedStrings } from '../chat-ended/chat-ended.strings.ts'
import type { ComposerStrings } from '../composer/composer.component.ts'
import type { DropZoneStrings } from '../drop-zone/drop-zone.component.ts'
import type { HeaderStrings } from '../header/header.component.ts'
import type { LauncherStrings } from '../launcher/launcher.component.ts'
import type { LightboxStrings } from '../lightbox/lightbox.strings.ts'
import type { MessageListStrings } from '../message-list/message-list.component.ts'
import type { OfflineFormStrings } from '../offline-form/offline-form.strings.ts'
import type { TypingIndicatorStrings } from '../typing-indicator/typing-indicator.component.ts'

/** Texts of the root `<chat-widget>` itself (the parts have their own groups). */
export interface RootStrings {
  /** Heading of the panel when no agent is assigned and no `title` is set. */
  title: string
  /** Said when a new agent message arrives: "Alex: Hello". */
  newMessage: (name: string, text: string) => string
  /** The document title while unread agent messages wait: "(2) New message". */
  titleFlash: (count: number) => string
  /** Shown before anything is stored or sent, with `require-consent`. */
  consent: string
  /** The button that agrees and starts the chat. */
  consentAccept: string
  /** Accessible name of the button that hides the proactive greeting. */
  dismissGreeting: string
  notSetUp: string
  unknownKey: string
  unavailable: string
  transcriptOnItsWay: (email: string) => string
  tooLarge: (name: string, max: string) => string
  typeNotAccepted: (name: string) => string
  empty: (name: string) => string
}

/** Every built-in text of the widget, one group per component. A language module is one of these. */
export interface WidgetStrings {
  widget: RootStrings
  launcher: LauncherStrings
  header: HeaderStrings
  messageList: MessageListStrings
  lightbox: LightboxStrings
  typingIndicator: TypingIndicatorStrings
  composer: ComposerStrings
  dropZone: DropZoneStrings
  offlineForm: OfflineFormStrings
  chatEnded: ChatEndedStrings
}

/** What a site owner may set: any group, any key; the rest stays as the language has it. */
export type WidgetStringsOverride = { [G in keyof WidgetStrings]?: Partial<WidgetStrings[G]> }
