// The English texts of the offline form, apart from its element: the widget's built-in strings need
// them at once, the element loads only when shown.
import { defaultEmailStrings, type EmailStrings } from '../shared/validation.ts'

/** Texts of the offline form; set `strings` to translate. */
export interface OfflineFormStrings extends EmailStrings {
  intro: string
  name: string
  optional: string
  email: string
  message: string
  messageMissing: string
  /** The message is over the server's limit: `length` and `max` already formatted. */
  messageTooLong: (length: string, max: string) => string
  submit: string
  sending: string
  /** The confirmation; `email` is the address the reply goes to. */
  sent: (email: string) => string
  error: string
}

export const defaultOfflineFormStrings: OfflineFormStrings = {
  ...defaultEmailStrings,
  intro: "We're away right now. Leave a message and we'll reply by email.",
  name: 'Name',
  optional: '(optional)',
  email: 'Email',
  message: 'Message',
  messageMissing: 'Write your message',
  messageTooLong: (length, max) => `Too long to send (${length} / ${max})`,
  submit: 'Send message',
  sending: 'Sending…',
  sent: (email) => `Thanks! We'll get back to you at ${email}`,
  error: "Your message couldn't be sent. Please try again.",
}
