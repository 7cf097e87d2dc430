/**
 * The real chat server that web-test-runner.config.mjs starts, seen from a browser test: its
 * address, an agent socket to act as the other side, and the widget's parts through every
 * shadow root.
 */
import { fixture, html } from '@open-wc/testing'
import { clear, createStore } from 'idb-keyval'
import { io, type Socket } from 'socket.io-client'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import type { AgentConnectedData, WireError } from '../../src/protocol.ts'
import { until } from './helpers.ts'

export interface ChatServerInfo {
  url: string
  key: string
  agentToken: string
  /** The demo account's secret: hashes for `identify({ hash })`. */
  accountSecret: string
}

export const info: Promise<ChatServerInfo> = fetch('/__chat-server.json').then((r) => r.json())

/** A shadow part anywhere under the widget (its own root and its subcomponents'). */
export function deepPart(widget: Element, name: string): HTMLElement | null {
  return deepQuery(widget, `[part~="${name}"]`)
}

/** The first element matching `selector` in `host`'s shadow root or any shadow root below. */
export function deepQuery<E extends Element = HTMLElement>(
  host: Element,
  selector: string,
): E | null {
  const search = (root: ShadowRoot | null): E | null => {
    if (!root) return null
    const found = root.querySelector<E>(selector)
    if (found) return found
    for (const element of root.querySelectorAll('*')) {
      const inner = search(element.shadowRoot)
      if (inner) return inner
    }
    return null
  }
  return search(host.shadowRoot)
}

/**
 * The first `tag` element under the widget once it has rendered: some parts (the offline form,
 * the end of chat, the lightbox) load on demand, and are empty until their module has run.
 */
export function renderedPart<E extends Element = HTMLElement>(
  widget: Element,
  tag: string,
): E | null {
  const element = deepQuery<E>(widget, tag)
  return element && (element as { hasUpdated?: boolean }).hasUpdated ? element : null
}

/** The element that has keyboard focus, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active
}

export function agentRequest<T>(socket: Socket, event: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.emit(event, data, (error: WireError | null, result: T) =>
      error ? reject(new Error(error.message)) : resolve(result),
    )
  })
}

const sockets: Socket[] = []

/** An agent connected to the test server (closed by `cleanUp`), online unless told otherwise. */
export async function connectAgent(online = true): Promise<Socket> {
  const server = await info
  const socket = io(`${server.url}/agent`, {
    path: '/socket',
    auth: { token: server.agentToken },
    transports: ['websocket'],
    forceNew: true,
  })
  sockets.push(socket)
  await agentRequest<AgentConnectedData>(socket, 'agent.connect', null)
  await agentRequest(socket, 'agent.status', { status: online ? 'online' : 'offline' })
  return socket
}

/** Closes the agents and forgets the chats the widget saved: the next test is a new visitor. */
export async function cleanUp(): Promise<void> {
  for (const socket of sockets.splice(0)) {
    // A socket a test disconnected would keep the request (and this hook) waiting.
    if (socket.connected)
      await agentRequest(socket, 'agent.status', { status: 'offline' }).catch(() => {})
    socket.close()
  }
  // Widgets leave first, and their last saves land, before the store is emptied.
  for (const widget of document.querySelectorAll('chat-widget')) widget.remove()
  await new Promise((resolve) => setTimeout(resolve, 250))
  await clear(createStore('chat-widget', 'chats'))
  forgetChatFlags()
}

/** Removes the widget's "this visitor has a chat: connect at once" flags. */
export function forgetChatFlags(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('chat-widget:chat:')) localStorage.removeItem(key)
  }
}

/** What a visitor's pointer on the launcher does: the widget loads its panel and connects. */
export function hoverLauncher(widget: ChatWidget): void {
  const launcher = widget.shadowRoot?.querySelector('chat-widget-launcher')
  if (!launcher) throw new Error('no launcher to hover')
  launcher.dispatchEvent(new PointerEvent('pointerenter'))
}

/** A `<chat-widget>` connected to the test server, with extra attributes set before it connects. */
export async function connectedWidget(
  attributes: Record<string, string> = {},
): Promise<ChatWidget> {
  const server = await info
  const el = await fixture<ChatWidget>(html`<chat-widget greeting="Hi there"></chat-widget>`)
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
  el.setAttribute('server', server.url)
  el.setAttribute('key', server.key)
  await el.updateComplete
  // A first-time visitor connects when they show intent (or the panel opens).
  if (el.mode !== 'inline') hoverLauncher(el)
  await until(() => el.client?.isInitialized(), 'the widget connected', 4000)
  return el
}

/** Waits until every entrance animation under the widget has finished (for axe's colours). */
export async function settled(widget: Element): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50))
  const roots: ShadowRoot[] = []
  const walk = (root: ShadowRoot | null) => {
    if (!root) return
    roots.push(root)
    for (const element of root.querySelectorAll('*')) walk(element.shadowRoot)
  }
  walk(widget.shadowRoot)
  const animations = roots.flatMap((root) => root.getAnimations())
  const finite = animations.filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
  await Promise.all(finite.map((animation) => animation.finished.catch(() => {})))
}
