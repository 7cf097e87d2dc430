import '../../components/typing-indicator/typing-indicator.ts'
import { expect, fixture, html } from '@open-wc/testing'
import { emulateMedia } from '@web/test-runner-commands'
import type { ChatWidgetTypingIndicator } from '../../components/typing-indicator/typing-indicator.ts'
import { part } from './helpers.ts'

async function indicator(typing: boolean, name = 'Alex') {
  return fixture<ChatWidgetTypingIndicator>(
    html`<chat-widget-typing-indicator ?typing=${typing} name=${name}></chat-widget-typing-indicator>`,
  )
}

const status = (el: ChatWidgetTypingIndicator) => el.shadowRoot!.querySelector('[role="status"]')!

describe('chat-widget-typing-indicator', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }))

  it('is accessible', async () => {
    const el = await indicator(true)
    await expect(el).to.be.accessible()
  })

  it('shows three dots and tells screen readers who types', async () => {
    const el = await indicator(true)
    const bubble = part(el, 'typing-indicator')
    expect(getComputedStyle(bubble).display).not.to.equal('none')
    expect(bubble.querySelectorAll('.dot')).to.have.length(3)
    expect(bubble.getAttribute('aria-hidden')).to.equal('true')
    expect(status(el).textContent).to.equal('Alex is typing…')
  })

  it('is hidden, and silent, when no one types', async () => {
    const el = await indicator(false)
    expect(getComputedStyle(part(el, 'typing-indicator')).display).to.equal('none')
    expect(status(el).textContent).to.equal('')

    el.typing = true
    await el.updateComplete
    expect(getComputedStyle(part(el, 'typing-indicator')).display).not.to.equal('none')
  })

  it('has a text without a name', async () => {
    const el = await indicator(true, '')
    expect(status(el).textContent).to.equal('The agent is typing…')
  })

  it('animates the dots, and holds them still for reduced motion', async () => {
    const el = await indicator(true)
    const dot = part(el, 'typing-indicator').querySelector('.dot')!
    expect(getComputedStyle(dot).animationName).to.equal('bounce')
    await emulateMedia({ reducedMotion: 'reduce' })
    expect(getComputedStyle(dot).animationName).to.equal('none')
  })
})
