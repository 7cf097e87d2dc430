import '../../components/header/header.ts'
import { expect, fixture, html } from '@open-wc/testing'
import type { ChatWidgetHeader, ConnectionStatus } from '../../components/header/header.ts'
import type { Agent } from '../../src/protocol.ts'
import { part, parts, record } from './helpers.ts'

const alex: Agent = {
  id: 'a1',
  status: 'online',
  groups: [],
  nickname: 'Alex',
  fullname: 'Alex Kim',
  description: '',
  avatar: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
}

async function header(status: ConnectionStatus = 'online', agent: Agent | null = null) {
  return fixture<ChatWidgetHeader>(
    html`<chat-widget-header account-name="Demo Shop" status=${status} .agent=${agent}></chat-widget-header>`,
  )
}

describe('chat-widget-header', () => {
  it('is accessible', async () => {
    const el = await header('online', alex)
    await expect(el).to.be.accessible()
  })

  it('has its documented parts', async () => {
    const el = await header('online', alex)
    for (const name of ['header', 'avatar', 'title', 'status-badge', 'close-button']) {
      expect(part(el, name)).to.exist
    }
  })

  it('shows the account name and no avatar without an agent', async () => {
    const el = await header()
    expect(part(el, 'title').textContent).to.equal('Demo Shop')
    expect(parts(el, 'avatar')).to.be.empty
  })

  it('shows the assigned agent with their avatar', async () => {
    const el = await header('online', alex)
    expect(part(el, 'title').textContent).to.equal('Alex')
    expect(part<HTMLImageElement>(el, 'avatar').src).to.equal(alex.avatar)

    el.agent = { ...alex, nickname: '', avatar: '' }
    await el.updateComplete
    expect(part(el, 'title').textContent).to.equal('Alex Kim')
    expect(part(el, 'avatar').textContent).to.equal('AK')
  })

  it('says each status in words, politely live', async () => {
    const el = await header()
    const badge = part(el, 'status-badge')
    expect(badge.getAttribute('aria-live')).to.equal('polite')
    const expected: Record<ConnectionStatus, string> = {
      online: 'Online',
      offline: 'Offline — leave a message',
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
    }
    for (const [status, text] of Object.entries(expected)) {
      el.status = status as ConnectionStatus
      await el.updateComplete
      expect(badge.textContent!.trim()).to.equal(text)
      expect(el.getAttribute('status')).to.equal(status)
    }
  })

  it('asks to minimize from its close button', async () => {
    const el = await header()
    const minimizes = record(el, 'chat-widget-minimize')
    const close = part(el, 'close-button')
    expect(close.getAttribute('aria-label')).to.equal('Minimize chat')
    close.click()
    expect(minimizes.length).to.equal(1)
    expect(minimizes[0]!.composed).to.be.true
  })

  it('takes translated texts', async () => {
    const el = await header('offline')
    el.strings = { offline: 'Hors ligne' }
    await el.updateComplete
    expect(part(el, 'status-badge').textContent!.trim()).to.equal('Hors ligne')
  })
})
