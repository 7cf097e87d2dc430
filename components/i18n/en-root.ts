/** The English texts of `<chat-widget>` itself: small, so the launcher shell carries them. */
import type { RootStrings } from './strings.ts'

export const enRoot: RootStrings = {
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
}
