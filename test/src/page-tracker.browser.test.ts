/**
 * A single-page app navigates in a real browser: the VisitorClient (following `window` by
 * default) tells the server, and an agent sees the visitor's page in `chat.updated` and
 * `chats.list`.
 */
import { expect } from '@open-wc/testing'
import { io, type Socket } from 'socket.io-client'
import { createVisitorClient, type VisitorClient } from '../../src/index.ts'
import type { AgentChat, AgentEvents, WireError } from '../../src/protocol.ts'

interface ChatServerInfo {
  url: string
  key: string
  agentToken: string
}
const info: Promise<ChatServerInfo> = fetch('/__chat-server.json').then((r) => r.json())

function agentRequest<T>(socket: Socket, event: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.emit(event, data, (error: WireError | null, result: T) =>
      error ? reject(new Error(error.message)) : resolve(result),
    )
  })
}

describe('VisitorClient follows a single-page app', () => {
  let client: VisitorClient
  let agent: Socket
  const startUrl = location.href
  const startTitle = document.title

  beforeEach(async () => {
    const server = await info
    client = createVisitorClient({
      data: { id: null, key: server.key },
      connection: { url: server.url },
    })
    agent = io(`${server.url}/agent`, {
      path: '/socket',
      auth: { token: server.agentToken },
      transports: ['websocket'],
      forceNew: true,
    })
    await agentRequest(agent, 'agent.connect', null)
  })

  afterEach(async () => {
    agent.close()
    await client.disconnect()
    history.replaceState(null, '', startUrl)
    document.title = startTitle
  })

  it('history.pushState changes the page agents see', async () => {
    await client.connect()
    const message = await client.chatMessage({ content: { type: 'text', text: 'Where am I?' } })
    const first = await agentRequest<{ chats: AgentChat[] }>(agent, 'chats.list', {})
    expect(first.chats.find((c) => c.id === message.chatId)?.visitor.page?.url).to.equal(startUrl)

    const target = new URL('/spa/cart?step=2', location.href).href
    const updated = new Promise<AgentChat>((resolve) => {
      agent.on('chat.updated', ({ chat }: AgentEvents['chat.updated']) => {
        if (chat.id === message.chatId && chat.visitor.page?.url === target) resolve(chat)
      })
    })
    history.pushState({}, '', '/spa/cart?step=2')
    document.title = 'Cart – SPA'
    const chat = await updated
    expect(chat.visitor.page?.title).to.equal('Cart – SPA')

    const { chats } = await agentRequest<{ chats: AgentChat[] }>(agent, 'chats.list', {})
    const listed = chats.find((c) => c.id === message.chatId)
    expect(listed?.visitor.page?.url).to.equal(target)
    expect(listed?.visitor.page?.title).to.equal('Cart – SPA')
  })

  it('back (popstate) and hash changes are followed too', async () => {
    await client.connect()
    const message = await client.chatMessage({ content: { type: 'text', text: 'Back again' } })
    const seen: string[] = []
    agent.on('chat.updated', ({ chat }: AgentEvents['chat.updated']) => {
      if (chat.id === message.chatId && chat.visitor.page) seen.push(chat.visitor.page.url)
    })
    history.pushState({}, '', '/spa/a')
    await waitFor(() => seen.at(-1)?.endsWith('/spa/a'))
    location.hash = 'section-2'
    await waitFor(() => seen.at(-1)?.endsWith('/spa/a#section-2'))
    history.back()
    await waitFor(() => seen.at(-1)?.endsWith('/spa/a'))
  })
})

async function waitFor(check: () => boolean | undefined, ms = 3000): Promise<void> {
  const end = performance.now() + ms
  while (!check()) {
    if (performance.now() > end) throw new Error('waitFor: timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
