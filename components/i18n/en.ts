import { defaultChatEndedStrings } from '../chat-ended/chat-ended.component.ts'
import { defaultComposerStrings } from '../composer/composer.component.ts'
import { defaultDropZoneStrings } from '../drop-zone/drop-zone.component.ts'
import { defaultHeaderStrings } from '../header/header.component.ts'
import { defaultLauncherStrings } from '../launcher/launcher.component.ts'
import { defaultLightboxStrings } from '../lightbox/lightbox.component.ts'
import { defaultMessageListStrings } from '../message-list/message-list.component.ts'
import { defaultOfflineFormStrings } from '../offline-form/offline-form.component.ts'
import { defaultTypingIndicatorStrings } from '../typing-indicator/typing-indicator.component.ts'
import type { WidgetStrings } from './strings.ts'

/** English: the components' own defaults, gathered. Always bundled; the fallback of every key. */
const en: WidgetStrings = {
  widget: {
    title: 'Chat with us',
    newMessage: (name, text) => `${name}: ${text}`,
    titleFlash: (count) => `(${count}) New message`,
    consent: 'Chatting stores this conversation on this device and on our servers.',
    consentAccept: 'Agree and start chatting',
    dismissGreeting: 'Dismiss',
    notSetUp: 'The chat is not set up: its server or key is missing.',
    unknownKey: 'The chat is not set up: its key is unknown.',
    unavailable: 'The chat is unavailable right now.',
    transcriptOnItsWay: (email) => `We'll email the transcript to ${email}.`,
    tooLarge: (name, max) => `“${name}” is too large to send (max ${max}).`,
    typeNotAccepted: (name) => `“${name}” can't be sent: this type of file isn't accepted.`,
    empty: (name) => `“${name}” is empty.`,
  },
  launcher: defaultLauncherStrings,
  header: defaultHeaderStrings,
  messageList: defaultMessageListStrings,
  lightbox: defaultLightboxStrings,
  typingIndicator: defaultTypingIndicatorStrings,
  composer: defaultComposerStrings,
  dropZone: defaultDropZoneStrings,
  offlineForm: defaultOfflineFormStrings,
  chatEnded: defaultChatEndedStrings,
}

export default en
