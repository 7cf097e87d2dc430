/**
 * The parts few chats show (the leave-a-message form, the end of a chat, the image lightbox)
 * load only when first shown: opening a chat with an agent online fetches none of them, and
 * each renders once it is needed. A module loads once per page, so the case that expects
 * nothing loaded comes first.
 */
import { expect } from '@open-wc/testing'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { AttachEvent } from '../../components/shared/events.ts'
import { defineOnDemand } from '../../components/shared/on-demand.ts'
import { until } from './helpers.ts'
import {
  agentRequest,
  cleanUp,
  connectAgent,
  connectedWidget,
  deepPart,
  renderedPart,
} from './widget-server.ts'

const PARTS = ['offline-form', 'chat-ended', 'lightbox']

/** The on-demand parts whose code was fetched (their texts, `*.strings.ts`, come with English). */
const fetchedParts = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => PARTS.some((part) => path.startsWith(`/components/${part}/`)))
    .filter((path) => !path.endsWith('.strings.ts'))

async function png(): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 40, height: 30 })
  canvas.getContext('2d')!.fillRect(0, 0, 40, 30)
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'))
  return new File([blob], 'photo.png', { type: 'image/png' })
}

async function openChat(): Promise<ChatWidget> {
  await connectAgent()
  const el = await connectedWidget()
  el.open()
  await until(() => deepPart(el, 'input'), 'the composer', 4000)
  return el
}

describe('<chat-widget> parts loaded on demand', () => {
  afterEach(cleanUp)

  it('opening a chat with an agent online loads none of them', async () => {
    const el = await openChat()
    await el.send('Hello')
    await until(() => deepPart(el, 'message-contact'), 'the message shown', 4000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(fetchedParts()).to.deep.equal([])
    for (const part of PARTS) {
      expect(customElements.get(`chat-widget-${part}`), part).to.equal(undefined)
    }
  })

  it('an image loads the lightbox when pointed at, and opens it when clicked', async () => {
    const el = await openChat()
    el.shadowRoot!.querySelector('chat-widget-drop-zone')!.dispatchEvent(
      new AttachEvent([await png()]),
    )
    await until(() => deepPart(el, 'image-button'), 'the image', 6000)
    const button = deepPart(el, 'image-button')!
    button.dispatchEvent(new PointerEvent('pointerenter'))
    await until(() => customElements.get('chat-widget-lightbox'), 'the lightbox loaded', 4000)
    button.click()
    await until(() => (deepPart(el, 'lightbox') as HTMLDialogElement | null)?.open, 'lightbox')
    expect(fetchedParts().some((path) => path.startsWith('/components/lightbox/'))).to.equal(true)
  })

  it('the end of a chat loads its part, which renders the rating', async () => {
    const el = await openChat()
    await el.send('Hello')
    const chatId = el.client!.getVisitorIdentity()!.chatId!
    const agent = await connectAgent()
    await agentRequest(agent, 'chat.close', { chatId })
    await until(() => renderedPart(el, 'chat-widget-chat-ended'), 'the end of chat', 4000)
    expect(deepPart(el, 'chat-ended')).to.not.equal(null)
  })

  it('nobody online: the leave-a-message form loads and renders its fields', async () => {
    const el = await connectedWidget()
    el.open()
    await until(() => renderedPart(el, 'chat-widget-offline-form'), 'the offline form', 4000)
    expect(deepPart(el, 'offline-form')).to.not.equal(null)
  })
})

describe('defineOnDemand', () => {
  let count = 0
  const tag = () => `x-on-demand-${++count}`

  it('loads once for concurrent needs, then answers at once', async () => {
    const name = tag()
    let loads = 0
    const load = async () => {
      loads++
      await new Promise((resolve) => setTimeout(resolve, 20))
      customElements.define(name, class extends HTMLElement {})
    }
    await Promise.all([defineOnDemand(name, load), defineOnDemand(name, load)])
    await defineOnDemand(name, load)
    expect(loads).to.equal(1)
    expect(customElements.get(name)).to.not.equal(undefined)
  })

  it('forgets a failed load, so the next need tries again', async () => {
    const name = tag()
    let loads = 0
    const load = async () => {
      if (++loads === 1) throw new TypeError('Failed to fetch dynamically imported module')
      customElements.define(name, class extends HTMLElement {})
    }
    let failure: unknown = null
    await defineOnDemand(name, load).catch((error: unknown) => {
      failure = error
    })
    expect(failure).to.be.instanceOf(TypeError)
    await defineOnDemand(name, load)
    expect(loads).to.equal(2)
    expect(customElements.get(name)).to.not.equal(undefined)
  })
})
