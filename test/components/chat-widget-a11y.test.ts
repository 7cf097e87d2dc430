/**
 * Accessibility of the whole `<chat-widget>` against the real test server: axe finds nothing in
 * any state the visitor can meet (closed, open and empty, a conversation, the offline form, the
 * end of a chat with its rating, the image lightbox), in the light and the dark theme; and the
 * keyboard and screen-reader behaviour of the dialog (focus in, Escape out, polite announcements).
 */
import { expect } from '@open-wc/testing'
import { emulateMedia, sendKeys } from '@web/test-runner-commands'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { AttachEvent, RateEvent } from '../../components/shared/events.ts'
import { until } from './helpers.ts'
import {
  agentRequest,
  cleanUp,
  connectAgent,
  connectedWidget,
  deepActiveElement,
  deepPart,
  deepQuery,
  renderedPart,
  settled,
} from './widget-server.ts'

/** A small PNG made on the spot. */
async function png(): Promise<File> {
  const canvas = document.createElement('canvas')
  canvas.width = 40
  canvas.height = 30
  const context = canvas.getContext('2d')!
  context.fillStyle = '#3366cc'
  context.fillRect(0, 0, 40, 30)
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'))
  return new File([blob], 'photo.png', { type: 'image/png' })
}

async function open(el: ChatWidget): Promise<void> {
  el.open()
  await el.updateComplete
  await settled(el)
}

async function agentSays(el: ChatWidget, text: string) {
  const chatId = el.client!.getVisitorIdentity()!.chatId!
  const agent = await connectAgent()
  await agentRequest(agent, 'chat.message', { chatId, content: { type: 'text', text } })
  return { agent, chatId }
}

for (const theme of ['light', 'dark'] as const) {
  describe(`<chat-widget> accessibility, ${theme} theme`, () => {
    afterEach(cleanUp)

    it('closed: the launcher alone', async () => {
      const el = await connectedWidget({ theme })
      await settled(el)
      await expect(el).to.be.accessible()
    })

    it('open and empty, an agent online', async () => {
      await connectAgent()
      const el = await connectedWidget({ theme })
      await open(el)
      await until(() => deepPart(el, 'input'), 'the composer')
      await expect(el).to.be.accessible()
    })

    it('a conversation with the agent typing', async () => {
      await connectAgent()
      const el = await connectedWidget({ theme })
      await el.send('Hello, I need help')
      const { agent, chatId } = await agentSays(el, 'Hi! How can I help?')
      await agentRequest(agent, 'chat.typing', { chatId, typing: { is: true, text: null } })
      await open(el)
      await until(() => deepPart(el, 'message-agent'), 'the agent message', 4000)
      await until(() => deepPart(el, 'typing-indicator')?.hidden === false, 'the dots', 4000)
      await settled(el)
      await expect(el).to.be.accessible()
    })

    it('the offline form, nobody online', async () => {
      const el = await connectedWidget({ theme })
      await open(el)
      await until(() => renderedPart(el, 'chat-widget-offline-form'), 'the offline form', 4000)
      await settled(el)
      await expect(el).to.be.accessible()
    })

    it('the end of the chat: rating, then thanks', async () => {
      await connectAgent()
      const el = await connectedWidget({ theme, email: 'visitor@example.com' })
      await el.send('Hello')
      const { agent, chatId } = await agentSays(el, 'Bye!')
      await agentRequest(agent, 'chat.close', { chatId })
      await open(el)
      await until(() => renderedPart(el, 'chat-widget-chat-ended'), 'the end of chat', 4000)
      await settled(el)
      await expect(el).to.be.accessible()
      deepQuery(el, 'chat-widget-chat-ended')!.dispatchEvent(new RateEvent(5, null))
      await until(() => deepPart(el, 'rating-thanks'), 'the thanks', 4000)
      await settled(el)
      await expect(el).to.be.accessible()
    })

    it('the image lightbox', async () => {
      await connectAgent()
      const el = await connectedWidget({ theme })
      await open(el)
      const dropZone = el.shadowRoot!.querySelector('chat-widget-drop-zone')!
      dropZone.dispatchEvent(new AttachEvent([await png()]))
      await until(() => deepPart(el, 'image-button'), 'the image', 6000)
      deepPart(el, 'image-button')!.click()
      await until(() => (deepPart(el, 'lightbox') as HTMLDialogElement | null)?.open, 'lightbox')
      await settled(el)
      await expect(el).to.be.accessible()
    })
  })
}

describe('<chat-widget> keyboard and screen readers', () => {
  afterEach(cleanUp)

  it('is a labelled dialog; opening focuses the input, Escape closes back to the launcher', async () => {
    await connectAgent()
    const el = await connectedWidget({ title: 'Support' })
    deepPart(el, 'launcher')!.focus()
    await sendKeys({ press: 'Enter' })
    await until(() => deepActiveElement()?.matches('[part~="input"]'), 'focus in the input')
    const panel = deepPart(el, 'panel')!
    expect(panel.getAttribute('role')).to.equal('dialog')
    expect(panel.getAttribute('aria-label')).to.equal('Support')
    await sendKeys({ press: 'Escape' })
    await until(() => !el.opened, 'closed')
    await until(() => deepActiveElement()?.matches('[part~="launcher"]'), 'focus on the launcher')
  })

  it('Escape in the header menu closes the menu, not the panel', async () => {
    await connectAgent()
    const el = await connectedWidget()
    await el.send('Hello')
    await open(el)
    await until(() => deepPart(el, 'menu-button'), 'the menu button', 4000)
    deepPart(el, 'menu-button')!.focus()
    await sendKeys({ press: 'Enter' })
    await until(() => deepPart(el, 'menu') && !deepPart(el, 'menu')!.hidden, 'the menu')
    await sendKeys({ press: 'Escape' })
    await el.updateComplete
    expect(el.opened).to.equal(true)
  })

  it('announces a new agent message once, politely; not the visitor’s own', async () => {
    await connectAgent()
    const el = await connectedWidget()
    await open(el)
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!
    await el.send('My own words')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(region.textContent?.trim()).to.equal('')
    await agentSays(el, 'An answer')
    await until(() => region.textContent?.includes('An answer'), 'the announcement', 4000)
    // The log itself stays quiet, so the message is not said twice.
    expect(deepPart(el, 'message-list')!.getAttribute('aria-live')).to.equal('off')
  })

  it('stops the panel’s entrance animation for reduced motion', async () => {
    const el = await connectedWidget()
    el.open()
    await el.updateComplete
    expect(getComputedStyle(deepPart(el, 'panel')!).animationName).to.equal('panel-in')
    el.close()
    await emulateMedia({ reducedMotion: 'reduce' })
    try {
      el.open()
      await el.updateComplete
      expect(getComputedStyle(deepPart(el, 'panel')!).animationName).to.equal('none')
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' })
    }
  })

  it('theme="auto" follows the system colour scheme', async () => {
    const el = await connectedWidget({ theme: 'auto' })
    el.open()
    await el.updateComplete
    const surface = () => getComputedStyle(deepPart(el, 'panel')!).backgroundColor
    await emulateMedia({ colorScheme: 'light' })
    expect(surface()).to.equal('rgb(255, 255, 255)')
    await emulateMedia({ colorScheme: 'dark' })
    try {
      expect(surface()).to.equal('rgb(22, 27, 38)')
      await settled(el)
      await expect(el).to.be.accessible()
    } finally {
      await emulateMedia({ colorScheme: 'light' })
    }
  })
})
