import '../../components/chat-ended/chat-ended.ts'
import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { ChatWidgetChatEnded } from '../../components/chat-ended/chat-ended.ts'
import { part, parts, record } from './helpers.ts'

async function ended(scale: '5' | 'thumbs' = '5') {
  return fixture<ChatWidgetChatEnded>(
    html`<chat-widget-chat-ended scale=${scale}></chat-widget-chat-ended>`,
  )
}

const radios = (el: ChatWidgetChatEnded) => [
  ...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]'),
]
const names = (el: ChatWidgetChatEnded) =>
  parts(el, 'rating-option').map((label) => label.textContent!.trim())
const emailField = (el: ChatWidgetChatEnded) => part<HTMLInputElement>(el, 'transcript-input')

async function typeInto(el: ChatWidgetChatEnded, field: HTMLElement, text: string) {
  field.focus()
  await sendKeys({ type: text })
  await el.updateComplete
}

describe('chat-widget-chat-ended', () => {
  it('is accessible (stars, thumbs, thanks)', async () => {
    const el = await ended()
    await expect(el).to.be.accessible()
    el.scale = 'thumbs'
    await el.updateComplete
    await expect(el).to.be.accessible()
    el.rating = { value: 5, text: 'Great' }
    el.transcriptState = 'sent'
    await el.updateComplete
    await expect(el).to.be.accessible()
  })

  it('has its documented parts', async () => {
    const el = await ended()
    radios(el)[4]!.click()
    await el.updateComplete
    const all = ['chat-ended', 'rating', 'rating-option', 'comment', 'rate-button']
    all.push('transcript-form', 'transcript-input', 'transcript-button', 'new-chat-button')
    for (const name of all) expect(part(el, name)).to.exist
    expect(getComputedStyle(part(el, 'comment')).fontSize).to.equal('16px')
    expect(getComputedStyle(emailField(el)).fontSize).to.equal('16px')
  })

  it('rates with stars and a comment', async () => {
    const el = await ended()
    const rates = record(el, 'chat-widget-rate')
    expect(names(el)).to.deep.equal(['1 of 5', '2 of 5', '3 of 5', '4 of 5', '5 of 5'])
    expect(radios(el).every((radio) => radio.name === 'rating')).to.be.true
    const button = part<HTMLButtonElement>(el, 'rate-button')
    expect(button.disabled, 'nothing chosen yet').to.be.true
    radios(el)[3]!.click()
    await el.updateComplete
    expect(button.disabled).to.be.false
    const lit = parts(el, 'rating-option').filter((label) => label.hasAttribute('data-on'))
    expect(lit.length, 'stars up to the choice are lit').to.equal(4)
    await typeInto(el, part(el, 'comment'), '  Quick and kind  ')
    button.click()
    expect(rates.length).to.equal(1)
    expect([rates[0]!.value, rates[0]!.text]).to.deep.equal([4, 'Quick and kind'])
    expect(rates[0]!.composed).to.be.true
  })

  it('asks for a comment once a rating is chosen, and keeps it while the choice changes', async () => {
    const el = await ended()
    expect(parts(el, 'comment').length, 'before any choice').to.equal(0)
    radios(el)[1]!.click()
    await el.updateComplete
    await typeInto(el, part(el, 'comment'), 'Slow at first')
    radios(el)[3]!.click()
    await el.updateComplete
    expect(part<HTMLTextAreaElement>(el, 'comment').value).to.equal('Slow at first')
  })

  it('chooses a star with the arrow keys and sends no comment as null', async () => {
    const el = await ended()
    const rates = record(el, 'chat-widget-rate')
    radios(el)[0]!.focus()
    await sendKeys({ press: 'ArrowRight' })
    await sendKeys({ press: 'ArrowRight' })
    await el.updateComplete
    expect(radios(el)[2]!.checked).to.be.true
    part(el, 'rate-button').click()
    expect([rates[0]!.value, rates[0]!.text]).to.deep.equal([3, null])
  })

  it('rates with thumbs: up is 5, down is 1', async () => {
    const el = await ended('thumbs')
    const rates = record(el, 'chat-widget-rate')
    expect(names(el)).to.deep.equal(['Good', 'Bad'])
    radios(el)[1]!.click()
    await el.updateComplete
    part(el, 'rate-button').click()
    radios(el)[0]!.click()
    await el.updateComplete
    part(el, 'rate-button').click()
    expect(rates.map((event) => event.value)).to.deep.equal([1, 5])
  })

  it('thanks the visitor for a given rating, with focus on the thanks', async () => {
    const el = await ended()
    radios(el)[4]!.click()
    await el.updateComplete
    part(el, 'rate-button').click()
    el.rating = { value: 5, text: '<b>Great</b>' }
    await el.updateComplete
    expect(parts(el, 'rating')).to.be.empty
    const thanks = part(el, 'rating-thanks')
    expect(thanks.textContent).to.contain('Thanks for your feedback!')
    expect(thanks.textContent).to.contain('You rated the chat 5 of 5.')
    expect(thanks.textContent).to.contain('<b>Great</b>')
    expect(thanks.querySelector('b')).to.be.null
    expect(el.shadowRoot!.activeElement).to.equal(thanks)
  })

  it('checks the transcript address before sending it', async () => {
    const el = await ended()
    const transcripts = record(el, 'chat-widget-transcript')
    part(el, 'transcript-button').click()
    await el.updateComplete
    expect(transcripts.length).to.equal(0)
    expect(part(el, 'field-error').textContent!.trim()).to.equal('Enter your email address')
    await typeInto(el, emailField(el), 'jane.example.com')
    part(el, 'transcript-button').click()
    await el.updateComplete
    expect(transcripts.length).to.equal(0)
    const field = emailField(el)
    expect(field.getAttribute('aria-invalid')).to.equal('true')
    const error = el.shadowRoot!.getElementById(field.getAttribute('aria-describedby')!)!
    expect(error.textContent!.trim()).to.equal('Enter an email address like name@example.com')
    expect(el.shadowRoot!.activeElement).to.equal(field)
  })

  it('sends the transcript request and reports its state', async () => {
    const el = await ended()
    const transcripts = record(el, 'chat-widget-transcript')
    await typeInto(el, emailField(el), '  jane@example.com ')
    part(el, 'transcript-button').click()
    expect(transcripts.map((event) => event.email)).to.deep.equal(['jane@example.com'])

    el.transcriptState = 'sending'
    await el.updateComplete
    expect(part<HTMLButtonElement>(el, 'transcript-button').disabled).to.be.true

    el.transcriptState = 'error'
    await el.updateComplete
    expect(part(el, 'transcript-status').getAttribute('role')).to.equal('alert')
    part(el, 'transcript-button').click()
    expect(transcripts.length, 'can try again').to.equal(2)

    el.transcriptState = 'sent'
    await el.updateComplete
    expect(parts(el, 'transcript-form')).to.be.empty
    expect(part(el, 'transcript-status').textContent!.trim()).to.equal(
      'The transcript is on its way to jane@example.com.',
    )
  })

  it('prefills the transcript address', async () => {
    const el = await fixture<ChatWidgetChatEnded>(
      html`<chat-widget-chat-ended email="jane@example.com"></chat-widget-chat-ended>`,
    )
    const transcripts = record(el, 'chat-widget-transcript')
    expect(emailField(el).value).to.equal('jane@example.com')
    part(el, 'transcript-button').click()
    expect(transcripts[0]!.email).to.equal('jane@example.com')
  })

  it('starts a new chat', async () => {
    const el = await ended()
    const starts = record(el, 'chat-widget-new-chat')
    const button = part(el, 'new-chat-button')
    expect(button.textContent!.trim()).to.equal('Start a new chat')
    button.click()
    expect(starts.length).to.equal(1)
    expect(starts[0]!.composed).to.be.true
  })
})
