import { isEmail } from './email.ts'

/** Texts of the email checks; part of each form's `strings`. */
export interface EmailStrings {
  emailMissing: string
  emailInvalid: string
}

export const defaultEmailStrings: EmailStrings = {
  emailMissing: 'Enter your email address',
  emailInvalid: 'Enter an email address like name@example.com',
}

/** What is wrong with an email field's value, in words, or '' when nothing is. */
export function emailError(value: string, strings: EmailStrings): string {
  if (!value.trim()) return strings.emailMissing
  return isEmail(value) ? '' : strings.emailInvalid
}
