// The English texts of the end of chat, apart from its element: the widget's built-in strings need
// them at once, the element loads only when shown.
import { defaultEmailStrings, type EmailStrings } from '../shared/validation.ts'

/** How the visitor rates: five stars, or thumbs up (5) and down (1). */
export type RatingScale = '5' | 'thumbs'

/** Texts of the end of chat; set `strings` to translate. */
export interface ChatEndedStrings extends EmailStrings {
  ended: string
  rateQuestion: string
  /** Accessible name of a star: "3 of 5". */
  star: (value: number) => string
  thumbsUp: string
  thumbsDown: string
  comment: string
  optional: string
  rate: string
  rateThanks: string
  /** What the visitor gave, under the thanks. */
  rated: (value: number, scale: RatingScale) => string
  transcript: string
  email: string
  sendTranscript: string
  sending: string
  transcriptSent: (email: string) => string
  transcriptError: string
  newChat: string
}

export const defaultChatEndedStrings: ChatEndedStrings = {
  ...defaultEmailStrings,
  ended: 'This chat has ended.',
  rateQuestion: 'How was your chat?',
  star: (value) => `${value} of 5`,
  thumbsUp: 'Good',
  thumbsDown: 'Bad',
  comment: 'Add a comment',
  optional: '(optional)',
  rate: 'Send rating',
  rateThanks: 'Thanks for your feedback!',
  rated: (value, scale) =>
    scale === 'thumbs'
      ? `You rated the chat ${value >= 3 ? 'good' : 'bad'}.`
      : `You rated the chat ${value} of 5.`,
  transcript: 'Email me the transcript',
  email: 'Email',
  sendTranscript: 'Send',
  sending: 'Sending…',
  transcriptSent: (email) => `The transcript is on its way to ${email}.`,
  transcriptError: "The transcript couldn't be sent. Please try again.",
  newChat: 'Start a new chat',
}
