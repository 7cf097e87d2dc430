/**
 * A random id for a packet, so the server can drop a repeat (the `clientId` of `chat.message`).
 * `crypto.randomUUID` needs a secure context in browsers; `getRandomValues` does not.
 */
export function createClientId(): string {
  const { crypto } = globalThis
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
