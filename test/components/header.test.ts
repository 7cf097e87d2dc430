import '../../components/header/header.ts'
import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { ChatWidgetHeader, ConnectionStatus } from '../../components/header/header.ts'
import type { Agent } from '../../src/protocol.ts'
import { animationsDone, part, parts, record } from './helpers.ts'

const alex: Agent = {
  id: 'a1',
  status: 'online',
  groups: [],
  nickname: 'Alex',
  fullname: 'Alex Kim',
  description: '',
  avatar: new URL('/alex.png', location.href).href,
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

  it('loads an avatar only from http(s): other addresses show the initials', async () => {
    const el = await header('online', alex)
    for (const url of [
      'data:image/svg+xml,<svg onload="alert(1)"/>',
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'vbscript:msgbox(1)',
      '/relative.png',
    ]) {
      el.agent = { ...alex, avatar: url }
      await el.updateComplete
      expect(part(el, 'avatar').localName, url).to.equal('span')
      expect(part(el, 'avatar').textContent).to.equal('A')
    }
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

describe('chat-widget-header menu', () => {
  const menuButton = (el: ChatWidgetHeader) => part<HTMLButtonElement>(el, 'menu-button')
  const menu = (el: ChatWidgetHeader) => part(el, 'menu')
  const focused = (el: ChatWidgetHeader) => el.shadowRoot!.activeElement
  const items = (el: ChatWidgetHeader) => parts(el, 'menu-item')

  it('is accessible, open and closed', async () => {
    const el = await header()
    await expect(el).to.be.accessible()
    menuButton(el).click()
    await el.updateComplete
    await animationsDone(el)
    await expect(el).to.be.accessible()
  })

  it('opens a menu from the more button', async () => {
    const el = await header()
    const button = menuButton(el)
    expect(button.getAttribute('aria-haspopup')).to.equal('menu')
    expect(button.getAttribute('aria-expanded')).to.equal('false')
    expect(button.getAttribute('aria-label')).to.equal('More options')
    expect(menu(el).hidden).to.be.true
    button.click()
    await el.updateComplete
    expect(button.getAttribute('aria-expanded')).to.equal('true')
    expect(menu(el).hidden).to.be.false
    expect(menu(el).getAttribute('role')).to.equal('menu')
    expect(items(el).map((item) => item.textContent!.trim())).to.deep.equal([
      'End chat',
      'Email transcript',
    ])
    expect(items(el).every((item) => item.getAttribute('role') === 'menuitem')).to.be.true
    expect(focused(el)).to.equal(items(el)[0])
  })

  it('moves with the arrow keys, closes on Escape and gives focus back', async () => {
    const el = await header()
    menuButton(el).focus()
    await sendKeys({ press: 'ArrowDown' })
    await el.updateComplete
    expect(menu(el).hidden).to.be.false
    expect(focused(el)).to.equal(items(el)[0])
    await sendKeys({ press: 'ArrowDown' })
    expect(focused(el)).to.equal(items(el)[1])
    await sendKeys({ press: 'ArrowDown' })
    expect(focused(el), 'wraps around').to.equal(items(el)[0])
    await sendKeys({ press: 'ArrowUp' })
    expect(focused(el)).to.equal(items(el)[1])
    await sendKeys({ press: 'Home' })
    expect(focused(el)).to.equal(items(el)[0])
    await sendKeys({ press: 'Escape' })
    await el.updateComplete
    expect(menu(el).hidden).to.be.true
    expect(menuButton(el).getAttribute('aria-expanded')).to.equal('false')
    expect(focused(el)).to.equal(menuButton(el))
  })

  it('opens on the last item with ArrowUp', async () => {
    const el = await header()
    menuButton(el).focus()
    await sendKeys({ press: 'ArrowUp' })
    await el.updateComplete
    expect(focused(el)).to.equal(items(el)[1])
  })

  it('emits end-chat and transcript-request, closing the menu', async () => {
    const el = await header()
    const ends = record(el, 'chat-widget-end-chat')
    const transcripts = record(el, 'chat-widget-transcript-request')
    menuButton(el).focus()
    await sendKeys({ press: 'Enter' })
    await el.updateComplete
    await sendKeys({ press: 'Enter' })
    await el.updateComplete
    expect(ends.length).to.equal(1)
    expect(ends[0]!.composed).to.be.true
    expect(menu(el).hidden).to.be.true
    expect(focused(el)).to.equal(menuButton(el))

    menuButton(el).click()
    await el.updateComplete
    await sendKeys({ press: 'ArrowDown' })
    await sendKeys({ press: ' ' })
    await el.updateComplete
    expect(transcripts.length).to.equal(1)
    expect(ends.length).to.equal(1)
  })

  it('closes on a click elsewhere', async () => {
    const el = await header()
    menuButton(el).click()
    await el.updateComplete
    part(el, 'title').dispatchEvent(
      new PointerEvent('pointerdown', { bubbles: true, composed: true }),
    )
    await el.updateComplete
    expect(menu(el).hidden).to.be.true
  })

  it('offers only what is allowed, and no button for nothing', async () => {
    const el = await header()
    el.canEnd = false
    await el.updateComplete
    menuButton(el).click()
    await el.updateComplete
    expect(items(el).map((item) => item.textContent!.trim())).to.deep.equal(['Email transcript'])
    el.canEnd = true
    el.canTranscript = false
    await el.updateComplete
    expect(items(el).map((item) => item.textContent!.trim())).to.deep.equal(['End chat'])
    el.canEnd = false
    await el.updateComplete
    expect(parts(el, 'menu-button')).to.be.empty
    expect(parts(el, 'menu')).to.be.empty
  })
})
