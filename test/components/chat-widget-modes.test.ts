/**
 * `mode="inline"` (the chat as part of the page) and `require-consent` (nothing connects or is
 * stored before the visitor agrees), against the real test server.
 */
import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { Socket } from 'socket.io-client'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import type { AgentChat } from '../../src/protocol.ts'
import { until } from './helpers.ts'
import {
  agentRequest,
  cleanUp,
  connectAgent,
  connectedWidget,
  deepActiveElement,
  deepPart,
  hoverLauncher,
  info,
  settled,
} from './widget-server.ts'

const CONSENT_KEY = 'chat-widget:consent'
const GREETED_KEY = 'chat-widget:greeted'

/** Waits until `condition` resolves truthy, polling every 50 ms; fails after `timeout` ms. */
async function untilAsync(condition: () => Promise<unknown>, message: string, timeout = 4000) {
  const end = performance.now() + timeout
  while (!(await condition())) {
    if (performance.now() > end) throw new Error(`untilAsync: ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A request's result, as a promise. */
function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/**
 * Everything this page's origin keeps on the device: local and session storage, cookies, and
 * each record of every IndexedDB database (opened without a version, so none is created here).
 */
async function storedOnDevice() {
  const entries = (storage: Storage) =>
    Object.fromEntries(Object.keys(storage).map((key) => [key, storage.getItem(key)]))
  const databases: Record<string, { keys: IDBValidKey[]; values: string }> = {}
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue
    const db = await requested(indexedDB.open(name))
    try {
      for (const storeName of db.objectStoreNames) {
        const store = db.transaction(storeName).objectStore(storeName)
        const [keys, values] = await Promise.all([
          requested(store.getAllKeys()),
          requested(store.getAll()),
        ])
        databases[`${name}/${storeName}`] = { keys, values: JSON.stringify(values) }
      }
    } finally {
      db.close()
    }
  }
  return {
    localStorage: entries(localStorage),
    sessionStorage: entries(sessionStorage),
    cookie: document.cookie,
    indexedDB: databases,
  }
}

/** Whether the widget's IndexedDB store holds any record. */
async function chatStored(): Promise<boolean> {
  const { indexedDB } = await storedOnDevice()
  return (indexedDB['chat-widget/chats']?.keys.length ?? 0) > 0
}

describe('<chat-widget mode="inline">', () => {
  afterEach(cleanUp)

  it('is part of the page: always open, no launcher, a labelled region in the flow', async () => {
    await connectAgent()
    const server = await info
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 500px">
      <p>Before</p>
      <chat-widget mode="inline" style="--chat-widget-height: 420px" server=${server.url}
        key=${server.key} title="Help"></chat-widget>
      <p>After</p>
    </div>`)
    const el = wrapper.querySelector('chat-widget') as ChatWidget
    await until(() => el.client?.isInitialized(), 'connected', 4000)
    await el.updateComplete
    expect(deepPart(el, 'launcher')).to.equal(null)
    expect(deepPart(el, 'close-button')).to.equal(null)
    const panel = deepPart(el, 'panel')!
    expect(panel.getAttribute('role')).to.equal('region')
    expect(panel.getAttribute('aria-label')).to.equal('Help')
    expect(getComputedStyle(el).position).to.equal('relative')
    const box = panel.getBoundingClientRect()
    expect(Math.round(box.width)).to.equal(500)
    expect(Math.round(box.height)).to.equal(420)
    // In the flow: the paragraph after it starts below it.
    const after = wrapper.querySelectorAll('p')[1]!.getBoundingClientRect()
    expect(after.top).to.be.at.least(box.bottom - 1)

    // Escape does not take it away.
    await until(() => deepPart(el, 'input'), 'the composer')
    deepPart(el, 'input')!.focus()
    await sendKeys({ press: 'Escape' })
    await el.updateComplete
    expect(deepPart(el, 'panel')).to.exist
    await settled(el)
    await expect(el).to.be.accessible()
  })

  it('counts as seen: agent messages are read at once in a visible tab', async () => {
    const agent = await connectAgent()
    const el = await connectedWidget({ mode: 'inline' })
    await el.send('Hi')
    const chatId = el.client!.getVisitorIdentity()!.chatId!
    const read = new Promise((resolve) => agent.once('chat.contact_read', resolve))
    agent.emit('chat.message', { chatId, content: { type: 'text', text: 'Hello!' } }, () => {})
    await read
  })
})

describe('<chat-widget require-consent>', () => {
  const forgetConsent = () => {
    localStorage.removeItem(CONSENT_KEY)
    localStorage.removeItem(GREETED_KEY)
  }
  beforeEach(forgetConsent)
  afterEach(async () => {
    forgetConsent()
    await cleanUp()
  })

  async function consentWidget(attributes: Record<string, string> = {}): Promise<ChatWidget> {
    const server = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget require-consent server=${server.url} key=${server.key}></chat-widget>`,
    )
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
    await el.updateComplete
    return el
  }

  it('connects and stores nothing until the visitor agrees, then chats', async () => {
    await connectAgent()
    const before = await storedOnDevice()
    const el = await consentWidget()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(el.client, 'no connection before consent').to.equal(undefined)
    expect(await storedOnDevice(), 'nothing stored on load').to.deep.equal(before)

    hoverLauncher(el)
    el.open()
    await el.updateComplete
    await until(() => deepActiveElement()?.matches('[part~="consent-button"]'), 'focus on consent')
    expect(deepPart(el, 'consent')!.textContent).to.contain('stores this conversation')
    // Nothing to type into before the yes.
    expect(deepPart(el, 'input')).to.equal(null)
    await settled(el)
    await expect(el).to.be.accessible()
    el.close()
    await el.updateComplete
    el.open()
    await until(() => deepActiveElement()?.matches('[part~="consent-button"]'), 'focus again')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(el.client, 'still no connection').to.equal(undefined)
    expect(await storedOnDevice(), 'nothing stored by the open panel').to.deep.equal(before)

    await sendKeys({ press: 'Enter' })
    await until(() => el.client?.isInitialized(), 'connected after consent', 4000)
    await until(() => deepActiveElement()?.matches('[part~="input"]'), 'focus in the input')
    expect(localStorage.getItem(CONSENT_KEY)).to.equal('yes')
    await el.send('Now we can talk')
    await untilAsync(chatStored, 'the chat in IndexedDB after consent')
  })

  it('shows the greeting before consent, keeping its dismissal in memory until the yes', async () => {
    const before = await storedOnDevice()
    const el = await consentWidget({ greeting: 'Hi there', 'greeting-delay': '0' })
    await until(() => deepPart(el, 'proactive'), 'the bubble', 3000)
    deepPart(el, 'proactive')!.querySelector<HTMLButtonElement>('[aria-label="Dismiss"]')!.click()
    await el.updateComplete
    expect(deepPart(el, 'proactive')).to.equal(null)
    el.greetingDelay = 0.05
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(deepPart(el, 'proactive'), 'dismissed on this page').to.equal(null)
    expect(await storedOnDevice(), 'nothing stored').to.deep.equal(before)

    el.grantConsent()
    expect(localStorage.getItem(CONSENT_KEY)).to.equal('yes')
    expect(localStorage.getItem(GREETED_KEY), 'remembered once allowed').to.equal('yes')
  })

  it('takes consent from the page (grantConsent), and remembers it on this device', async () => {
    const first = await consentWidget()
    first.grantConsent()
    hoverLauncher(first)
    await until(() => first.client?.isInitialized(), 'connected', 4000)
    first.remove()
    const second = await consentWidget()
    hoverLauncher(second)
    await until(() => second.client?.isInitialized(), 'connected without asking again', 4000)
    expect(deepPart(second, 'consent')).to.equal(null)
  })
})

describe('<chat-widget greeting-delay> and identify()', () => {
  beforeEach(() => localStorage.removeItem(GREETED_KEY))
  afterEach(async () => {
    localStorage.removeItem(GREETED_KEY)
    await cleanUp()
  })

  it('pops the greeting up by the launcher after the delay; clicking it opens the chat', async () => {
    await connectAgent()
    const el = await connectedWidget({ 'greeting-delay': '0.2' })
    expect(deepPart(el, 'proactive')).to.equal(null)
    await until(() => deepPart(el, 'proactive'), 'the bubble', 3000)
    expect(deepPart(el, 'proactive')!.textContent).to.contain('Hi there')
    await settled(el)
    await expect(el).to.be.accessible()
    deepPart(el, 'proactive')!.querySelector('button')!.click()
    await el.updateComplete
    expect(el.opened).to.equal(true)
    expect(deepPart(el, 'proactive')).to.equal(null)
    expect(localStorage.getItem(GREETED_KEY)).to.equal('yes')
  })

  it('stays away once dismissed, in later sessions too, and for a visitor with a chat', async () => {
    const first = await connectedWidget({ 'greeting-delay': '0' })
    await until(() => deepPart(first, 'proactive'), 'the bubble', 3000)
    deepPart(first, 'proactive')!
      .querySelector<HTMLButtonElement>('[aria-label="Dismiss"]')!
      .click()
    await first.updateComplete
    expect(deepPart(first, 'proactive')).to.equal(null)
    // Another tab or a later visit: a new session, the same visitor.
    sessionStorage.clear()
    const second = await connectedWidget({ 'greeting-delay': '0' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(deepPart(second, 'proactive')).to.equal(null)

    localStorage.removeItem(GREETED_KEY)
    await connectAgent()
    const chatting = await connectedWidget()
    await chatting.send('Already talking')
    chatting.greetingDelay = 0
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(deepPart(chatting, 'proactive')).to.equal(null)
  })

  it('identify() tells the server who the visitor is', async () => {
    const el = await connectedWidget()
    el.identify({ name: 'Ann Example', email: 'ann@example.com' })
    await until(() => el.client!.getVisitorIdentity()?.name === 'Ann Example', 'the name', 4000)
    expect(el.client!.getVisitorIdentity()?.email).to.equal('ann@example.com')
  })

  /** The visitor's chat as the agent lists it, polled until `ready` holds of it. */
  async function agentViewOf(el: ChatWidget, agent: Socket, ready: (chat: AgentChat) => boolean) {
    await el.send('Hello')
    const chatId = el.client!.getVisitorIdentity()!.chatId
    const end = performance.now() + 4000
    for (;;) {
      const { chats } = await agentRequest<{ chats: AgentChat[] }>(agent, 'chats.list', {})
      const chat = chats.find((c) => c.id === chatId)
      if (chat && ready(chat)) return chat
      if (performance.now() > end)
        throw new Error(`agentViewOf: not ready: ${JSON.stringify(chat)}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  it('identify() with the right hash verifies the visitor for the agents', async () => {
    const server = await info
    const agent = await connectAgent()
    const el = await connectedWidget()
    const email = 'verified@example.com'
    el.identify({
      name: 'Vera Verified',
      email,
      hash: await emailHash(server.accountSecret, email),
    })
    const chat = await agentViewOf(el, agent, (c) => c.visitor.variables.authenticated === true)
    expect(chat.visitor.name).to.equal('Vera Verified')
    expect(chat.visitor.email).to.equal(email)
  })

  it('identify() with a wrong hash is reported once and leaves the visitor unverified', async () => {
    const server = await info
    const agent = await connectAgent()
    const el = await connectedWidget()
    const errors: string[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args.join(' '))
    try {
      const wrong = await emailHash(server.accountSecret, 'someone-else@example.com')
      el.identify({ name: 'Mallory', email: 'mallory@example.com', hash: wrong })
      await until(() => errors.length > 0, 'the console error', 4000)
      el.identify({ name: 'Mallory', email: 'mallory@example.com', hash: wrong })
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      console.error = original
    }
    expect(errors).to.have.length(1)
    expect(errors[0]).to.contain('did not verify')
    const chat = await agentViewOf(el, agent, (c) => c.visitor.email === 'mallory@example.com')
    expect(chat.visitor.variables.authenticated).to.equal(undefined)
  })
})

/** The hex HMAC-SHA256 of `email` under `secret`, as the site's server computes it. */
async function emailHash(secret: string, email: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(email))
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}
