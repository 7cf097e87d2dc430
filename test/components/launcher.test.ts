import '../../components/launcher/launcher.ts'
import { expect, fixture, html } from '@open-wc/testing'
import type { ChatWidgetLauncher } from '../../components/launcher/launcher.ts'
import { part, record } from './helpers.ts'

async function launcher(unread = 0, open = false) {
  return fixture<ChatWidgetLauncher>(
    html`<chat-widget-launcher .unread=${unread} ?open=${open}></chat-widget-launcher>`,
  )
}

describe('chat-widget-launcher', () => {
  it('is accessible', async () => {
    const el = await launcher(3)
    await expect(el).to.be.accessible()
  })

  it('has its documented parts', async () => {
    const el = await launcher(1)
    for (const name of ['launcher', 'icon', 'unread-badge']) expect(part(el, name)).to.exist
  })

  it('says open or close, and changes its icon, with `open`', async () => {
    const el = await launcher()
    const button = part<HTMLButtonElement>(el, 'launcher')
    expect(button.getAttribute('aria-label')).to.equal('Open chat')
    expect(button.getAttribute('aria-expanded')).to.equal('false')
    const closedIcon = part(el, 'icon').innerHTML

    el.open = true
    await el.updateComplete
    expect(button.getAttribute('aria-label')).to.equal('Close chat')
    expect(button.getAttribute('aria-expanded')).to.equal('true')
    expect(part(el, 'icon').innerHTML).not.to.equal(closedIcon)
  })

  it('hides the unread badge at 0 and shows the count otherwise', async () => {
    const el = await launcher(0)
    const badge = part(el, 'unread-badge')
    expect(badge.getAttribute('role')).to.equal('status')
    expect(badge.hidden).to.be.true
    expect(getComputedStyle(badge).display).to.equal('none')

    el.unread = 3
    await el.updateComplete
    expect(badge.hidden).to.be.false
    expect(getComputedStyle(badge).display).not.to.equal('none')
    expect(badge.querySelector('[aria-hidden]')!.textContent).to.equal('3')
    expect(badge.textContent).to.contain('3 unread messages')
  })

  it('shows "9+" above 9', async () => {
    const el = await launcher(9)
    expect(part(el, 'unread-badge').querySelector('[aria-hidden]')!.textContent).to.equal('9')
    el.unread = 10
    await el.updateComplete
    expect(part(el, 'unread-badge').querySelector('[aria-hidden]')!.textContent).to.equal('9+')
    expect(part(el, 'unread-badge').textContent).to.contain('10 unread messages')
  })

  it('asks for the other state on click, and leaves `open` to its owner', async () => {
    const el = await launcher()
    const toggles = record(el, 'chat-widget-toggle')
    part(el, 'launcher').click()
    expect(toggles.length).to.equal(1)
    expect(toggles[0]!.open).to.be.true
    expect(toggles[0]!.bubbles && toggles[0]!.composed).to.be.true
    expect(el.open).to.be.false

    el.open = true
    await el.updateComplete
    part(el, 'launcher').click()
    expect(toggles[1]!.open).to.be.false
  })

  it('fires nothing when code sets its properties', async () => {
    const el = await launcher()
    const toggles = record(el, 'chat-widget-toggle')
    el.open = true
    el.unread = 4
    await el.updateComplete
    expect(toggles.length).to.equal(0)
  })

  it('takes translated texts', async () => {
    const el = await launcher(2)
    el.strings = { open: 'Chat öffnen', unread: 'ungelesene Nachrichten' }
    await el.updateComplete
    expect(part(el, 'launcher').getAttribute('aria-label')).to.equal('Chat öffnen')
    expect(part(el, 'unread-badge').textContent).to.contain('2 ungelesene Nachrichten')
  })
})
