import type { Message } from '../../src/protocol.ts'
import type { ChatItem, DeliveryState } from '../../src/store/timeline.ts'

/** Polls `condition` every frame until it holds; fails after `timeout` ms with `message`. */
export async function until(
  condition: () => unknown,
  message = 'condition never became true',
  timeout = 2000,
): Promise<void> {
  const end = performance.now() + timeout
  while (!condition()) {
    if (performance.now() > end) throw new Error(`until: ${message}`)
    await new Promise((resolve) => requestAnimationFrame(resolve))
  }
}

/** Waits for the finite animations in `host`'s shadow root (entrances), e.g. before an axe check. */
export async function animationsDone(host: Element): Promise<void> {
  const animations = host.shadowRoot?.getAnimations() ?? []
  const finite = animations.filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
  await Promise.all(finite.map((animation) => animation.finished))
}

/** The element of a shadow part, or throws: every documented part must exist. */
export function part<E extends Element = HTMLElement>(host: Element, name: string): E {
  const found = parts<E>(host, name)[0]
  if (!found) throw new Error(`no part "${name}" in <${host.localName}>`)
  return found
}

export function parts<E extends Element = HTMLElement>(host: Element, name: string): E[] {
  return [...(host.shadowRoot?.querySelectorAll<E>(`[part~="${name}"]`) ?? [])]
}

/**
 * Records the events of `type` that reach `target`. Assert on counts and fields, not on the
 * events themselves: chai's failure message tries to print an Event with its DOM and hangs.
 */
export function record<K extends keyof GlobalEventHandlersEventMap>(
  target: EventTarget,
  type: K,
): GlobalEventHandlersEventMap[K][] {
  const seen: GlobalEventHandlersEventMap[K][] = []
  target.addEventListener(type, (event) => seen.push(event as GlobalEventHandlersEventMap[K]))
  return seen
}

import { message } from '../support/messages.ts'

export { message }

/** A list item of `message`, keyed by its id. */
export function item(msg: Message, state: DeliveryState = 'sent'): ChatItem {
  return { key: msg.id, message: msg, state, pending: state === 'sending' || state === 'failed' }
}

/** An agent's message. */
export function agentMessage(text: string, agentId = 'a1', overrides: Partial<Message> = {}) {
  return message({ text, subType: 'agent', agentId, ...overrides })
}

/** A `type: 'event'` message (agent joined, chat closed…). */
export function eventMessage(
  type: string,
  agentId: string | null = 'a1',
  text: string | null = null,
) {
  return message({
    type: 'event',
    subType: 'system',
    agentId,
    content: { type, text, data: null },
  })
}
