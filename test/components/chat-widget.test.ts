/**
 * The root `<chat-widget>` in a real browser against a real chat server (started by
 * web-test-runner.config.mjs): attributes, methods, events, error states, parts.
 */
import { expect, fixture, html } from '@open-wc/testing'
import { setViewport } from '@web/test-runner-commands'
import type { Socket } from 'socket.io-client'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import type { Message } from '../../src/protocol.ts'
import { until } from './helpers.ts'
import {
  agentRequest,
  type ChatServerInfo,
  cleanUp,
  connectAgent,
  deepPart,
  hoverLauncher,
  info,
  settled,
} from './widget-server.ts'

describe('<chat-widget>', () => {
  // Each test is a new visitor: the agents leave, the widget's saved chats are forgotten.
  afterEach(cleanUp)

  /** A widget on the test server; with `intent`, the visitor hovers it (so it connects). */
  async function widget(attrs: Partial<ChatServerInfo> = {}, intent = true): Promise<ChatWidget> {
    const server = { ...(await info), ...attrs }
    const el = await fixture<ChatWidget>(
      html`<chat-widget server=${server.url} key=${server.key} greeting="Hi there"></chat-widget>`,
    )
    if (!intent) return el
    hoverLauncher(el)
    await until(() => el.client, 'a client')
    return el
  }

  it('a first-time visitor: no connection until they show intent; the status comes over HTTP', async () => {
    const socket = await connectAgent(false)
    await agentRequest(socket, 'agent.status', { status: 'online' })
    const originalFetch = window.fetch
    const statuses: Promise<string>[] = []
    window.fetch = (input, init) => {
      const response = originalFetch(input, init)
      if (String(input).includes('/v1/status?key=')) {
        statuses.push(response.then((r) => r.clone().json()).then((body) => body.status))
      }
      return response
    }
    try {
      const server = await info
      const el = await fixture<ChatWidget>(
        html`<chat-widget server=${server.url} key=${server.key}></chat-widget>`,
      )
      await until(() => statuses.length > 0, 'the status asked over HTTP')
      const launcher = el.shadowRoot!.querySelector('chat-widget-launcher')!
      const said = await statuses[0]!
      await until(() => launcher.status === said, 'the launcher shows the status')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(el.client, 'no connection before intent').to.equal(undefined)
      expect(deepPart(el, 'panel')).to.equal(null)

      hoverLauncher(el)
      await until(() => el.client?.isInitialized(), 'connected on intent', 4000)
      // Once connected, the socket's status is the launcher's.
      await until(() => launcher.status === 'online', 'online from the socket')
    } finally {
      window.fetch = originalFetch
    }
  })

  it('a click on a cold launcher loads the panel, opens it and focuses the input', async () => {
    const server = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget server=${server.url} key=${server.key}></chat-widget>`,
    )
    deepPart(el, 'launcher')!.click()
    await el.updateComplete
    expect(el.opened).to.equal(true)
    expect(deepPart(el, 'panel'), 'the panel frame at once').to.exist
    await until(
      () => {
        let active = document.activeElement
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
        return active?.matches('[part~="input"]')
      },
      'focus in the input',
      4000,
    )
    expect(el.client).to.exist
  })

  it('a returning visitor with a chat in progress connects at once; reset() forgets that', async () => {
    const first = await widget()
    await until(() => first.client?.isInitialized(), 'initialized', 4000)
    await first.send('Hello, anyone there?')
    first.remove()

    const server = await info
    const again = await fixture<ChatWidget>(
      html`<chat-widget server=${server.url} key=${server.key}></chat-widget>`,
    )
    // No intent: the saved chat alone connects it, so agent replies arrive.
    await until(() => again.client?.isInitialized(), 'connected at once', 4000)
    await again.reset()
    again.remove()

    const fresh = await fixture<ChatWidget>(
      html`<chat-widget server=${server.url} key=${server.key}></chat-widget>`,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(fresh.client, 'a new visitor waits for intent again').to.equal(undefined)
  })

  it('opens and closes through attribute, methods and launcher, with events', async () => {
    const el = await widget()
    const events: string[] = []
    for (const type of ['chat-widget-open', 'chat-widget-close']) {
      document.addEventListener(type, (event) => events.push(event.type))
    }
    expect(deepPart(el, 'panel')).to.equal(null)
    el.open()
    await el.updateComplete
    expect(el.hasAttribute('open')).to.equal(true)
    expect(deepPart(el, 'panel')).to.exist
    expect(deepPart(el, 'panel')!.getAttribute('role')).to.equal('dialog')
    el.close()
    await el.updateComplete
    el.toggle()
    await el.updateComplete
    expect(el.opened).to.equal(true)
    deepPart(el, 'launcher')!.click()
    await el.updateComplete
    expect(el.opened).to.equal(false)
    el.setAttribute('open', '')
    await el.updateComplete
    expect(el.opened).to.equal(true)
    expect(events).to.deep.equal([
      'chat-widget-open',
      'chat-widget-close',
      'chat-widget-open',
      'chat-widget-close',
      'chat-widget-open',
    ])
  })

  it('sends from the composer, shows the message once and fires chat-widget-message once', async () => {
    // An agent online, else the panel offers the leave-a-message form instead of the composer.
    const agent = await connectAgent(false)
    await agentRequest(agent, 'agent.status', { status: 'online' })
    const el = await widget({}, false)
    const connection: string[] = []
    el.addEventListener('chat-widget-connection', (event) => connection.push(event.detail))
    const messages: Message[] = []
    el.addEventListener('chat-widget-message', (event) => messages.push(event.detail))
    el.open()
    await el.updateComplete
    await until(() => el.client?.isInitialized(), 'initialized', 4000)
    await until(() => el.shadowRoot!.querySelector('chat-widget-composer'), 'the composer')

    const composer = el.shadowRoot!.querySelector('chat-widget-composer')!
    const input = composer.shadowRoot!.querySelector('textarea')!
    input.value = 'Hello from the test'
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }))
    input.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
    )

    await until(() => messages.length === 1, 'the message event', 4000)
    await new Promise((resolve) => setTimeout(resolve, 200)) // the echo must not fire again
    expect(messages.length).to.equal(1)
    expect(messages[0]!.content.text).to.equal('Hello from the test')
    const list = el.shadowRoot!.querySelector('chat-widget-message-list')!
    const bubbles = list.shadowRoot!.querySelectorAll('[part~="message-contact"]')
    expect(bubbles.length).to.equal(1)
    expect(connection).to.include('online')
  })

  /** A visitor who wrote "Need help", and an agent connected (not yet online). */
  async function visitorWhoWrote(): Promise<{ el: ChatWidget; agent: Socket; chatId: string }> {
    const el = await widget()
    await until(() => el.client?.isInitialized(), 'initialized', 4000)
    await el.send('Need help')
    const chatId = el.client!.getVisitorIdentity()!.chatId!
    const agent = await connectAgent(false)
    return { el, agent, chatId }
  }

  /** The agent goes online and answers; the visitor opens the panel and sees it. */
  async function answerAndOpen(el: ChatWidget, agent: Socket, chatId: string): Promise<void> {
    await agentRequest(agent, 'agent.status', { status: 'online' })
    await agentRequest(agent, 'chat.message', { chatId, content: { type: 'text', text: 'Hi!' } })
    el.open()
    await until(() => deepPart(el, 'message-agent'), 'the reply', 4000)
  }

  it('counts agent replies on the badge while closed and marks them read on open', async () => {
    const { el, agent, chatId } = await visitorWhoWrote()
    const read = new Promise((resolve) => agent.once('chat.contact_read', resolve))
    await agentRequest(agent, 'chat.message', { chatId, content: { type: 'text', text: 'Hi!' } })

    await until(() => deepPart(el, 'unread-badge')?.textContent?.includes('1'), 'badge 1', 4000)
    expect(deepPart(el, 'unread-badge')!.hidden).to.equal(false)
    el.open()
    await read
    await until(() => deepPart(el, 'unread-badge')?.hidden, 'badge cleared')
  })

  it('shows the agent typing under the last message, inset like the messages', async () => {
    const { el, agent, chatId } = await visitorWhoWrote()
    await answerAndOpen(el, agent, chatId)
    await agentRequest(agent, 'chat.typing', { chatId, typing: { is: true, text: null } })
    await until(() => deepPart(el, 'typing-indicator')?.hidden === false, 'the dots', 4000)
    await settled(el)

    const dots = deepPart(el, 'typing-indicator')!.getBoundingClientRect()
    const reply = deepPart(el, 'message-agent')!.getBoundingClientRect()
    const panel = deepPart(el, 'panel')!.getBoundingClientRect()
    const list = deepPart(el, 'message-list')!.getBoundingClientRect()
    const composer = deepPart(el, 'composer')!.getBoundingClientRect()
    // Off the panel's edge as the messages are, below the list and clear of the composer.
    expect(dots.left - panel.left).to.be.at.least(10)
    expect(dots.left).to.be.below(reply.left)
    expect(dots.top).to.be.at.least(list.bottom - 0.5)
    expect(composer.top - dots.bottom).to.be.at.least(6)
  })

  it('keeps a conversation’s composer, and the draft in it, when its agent goes offline', async () => {
    const { el, agent, chatId } = await visitorWhoWrote()
    await answerAndOpen(el, agent, chatId)
    await until(() => el.client!.getAccountStatus() === 'online', 'online')
    const input = deepPart(el, 'input') as HTMLTextAreaElement
    input.value = 'My order number is'
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }))

    // Their console drops: the last agent socket gone is the account offline.
    agent.disconnect()
    await until(() => el.client!.getAccountStatus() === 'offline', 'offline', 4000)
    await el.updateComplete
    expect(deepPart(el, 'offline-form') === null, 'no leave-a-message form').to.be.true
    expect(deepPart(el, 'input') === input, 'the same text field').to.be.true
    expect(input.value).to.equal('My order number is')
    // The header says so, without asking to leave a message.
    expect(deepPart(el, 'status-badge')!.textContent!.trim()).to.equal(
      'Away — replies may take a while',
    )
  })

  it('fits the end of a chat in the panel: rating, transcript and a new chat, no scrolling', async () => {
    // A laptop's window: room for the panel's default height.
    const before = { width: window.innerWidth, height: window.innerHeight }
    await setViewport({ width: 1100, height: 760 })
    try {
      const { el, agent, chatId } = await visitorWhoWrote()
      await agentRequest(agent, 'chat.close', { chatId })
      el.open()
      await until(() => deepPart(el, 'new-chat-button'), 'the end of the chat', 4000)
      // The panel's entrance (a scale) done: boxes at their size.
      await settled(el)
      const panel = deepPart(el, 'panel')!.getBoundingClientRect()
      expect(panel.height, 'the default panel').to.equal(600)
      const ended = deepPart(el, 'chat-ended')!
      expect(ended.scrollHeight - ended.clientHeight, 'scrolls').to.be.at.most(1)
      const newChat = deepPart(el, 'new-chat-button')!.getBoundingClientRect()
      expect(newChat.bottom).to.be.at.most(panel.bottom)
    } finally {
      await setViewport(before)
    }
  })

  it('shows a clear error when the key is missing or refused', async () => {
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args[0])
    try {
      const missing = await fixture<ChatWidget>(
        html`<chat-widget server="http://127.0.0.1:9" open></chat-widget>`,
      )
      await until(() => deepPart(missing, 'error'), 'the error shown')
      expect(deepPart(missing, 'error')!.textContent).to.contain('key is missing')
      expect(errors.filter((e) => String(e).includes('`key` attribute')).length).to.equal(1)

      const refused = await widget({ key: 'no-such-site' })
      refused.open()
      await until(() => deepPart(refused, 'error'), 'error shown', 4000)
      expect(deepPart(refused, 'error')!.textContent).to.contain('key is unknown')
      expect(errors.some((e) => String(e).includes('refused'))).to.equal(true)
    } finally {
      console.error = original
    }
  })

  it('reset() forgets the visitor and their history on this device and starts afresh', async () => {
    const el = await widget()
    await until(() => el.client?.isInitialized(), 'initialized', 4000)
    el.open()
    await el.send('Before logging out')
    await until(() => deepPart(el, 'message-contact'), 'the message shown')
    const before = el.client!.getVisitorId()
    await new Promise((resolve) => setTimeout(resolve, 300)) // saved to IndexedDB

    await el.reset()
    await until(() => el.client?.isInitialized(), 'initialized again', 4000)
    expect(el.client!.getVisitorId()).to.not.equal(before)
    await el.updateComplete
    expect(deepPart(el, 'message-contact'), 'no old messages').to.equal(null)

    // And a reload (a new element) does not bring the old visitor back either.
    el.remove()
    const again = await widget()
    await until(() => again.client?.isInitialized(), 'initialized after reload', 4000)
    expect(again.client!.getVisitorId()).to.not.equal(before)
  })

  it('reconnects with a new client when the key changes at runtime', async () => {
    const el = await widget({ key: 'no-such-site' })
    const first = el.client
    el.key = (await info).key
    await el.updateComplete
    expect(el.client).to.not.equal(first)
    await until(() => el.client?.isInitialized(), 'initialized with the new key', 4000)
  })

  it('exposes the documented parts to page CSS through ::part()', async () => {
    // An agent online: the panel is the conversation (with no one there it is the offline form).
    const agent = await connectAgent(false)
    await agentRequest(agent, 'agent.status', { status: 'online' })
    const el = await widget()
    el.open()
    await el.updateComplete
    await until(() => el.client?.isInitialized(), 'initialized', 4000)
    await until(() => deepPart(el, 'message-list'), 'list', 4000)
    const style = document.createElement('style')
    const names = [
      'launcher',
      'panel',
      'header',
      'status-badge',
      'message-list',
      'typing-indicator',
      'composer',
      'input',
      'send-button',
    ]
    style.textContent = names
      .map((name) => `chat-widget::part(${name}) { outline-color: rgb(1, 2, 3) }`)
      .join('\n')
    document.head.append(style)
    try {
      for (const name of names) {
        const element = deepPart(el, name)
        expect(element, name).to.exist
        expect(getComputedStyle(element!).outlineColor, name).to.equal('rgb(1, 2, 3)')
      }
    } finally {
      style.remove()
    }
  })
})
