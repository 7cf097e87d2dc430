/**
 * Whether `text` looks like an email address someone can reply to: one `@`, something before
 * it, a dotted domain after it, no spaces. Deliberately loose (the server has the last word);
 * it catches the typos a visitor can fix: a missing `@`, a missing domain, a stray space.
 */
export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text.trim())
}
