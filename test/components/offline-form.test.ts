import '../../components/offline-form/offline-form.ts'
import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { ChatWidgetOfflineForm } from '../../components/offline-form/offline-form.ts'
import { part, parts, record } from './helpers.ts'

async function form(name = '', email = '') {
  return fixture<ChatWidgetOfflineForm>(
    html`<chat-widget-offline-form name=${name} email=${email}></chat-widget-offline-form>`,
  )
}

const field = <E extends HTMLElement = HTMLInputElement>(el: ChatWidgetOfflineForm, id: string) =>
  el.shadowRoot!.getElementById(id) as E

/** Types into a field like a person. */
async function fill(el: ChatWidgetOfflineForm, id: string, text: string) {
  field(el, id).focus()
  await sendKeys({ type: text })
  await el.updateComplete
}

async function submit(el: ChatWidgetOfflineForm) {
  part(el, 'submit-button').click()
  await el.updateComplete
}

describe('chat-widget-offline-form', () => {
  it('is accessible, and with errors shown', async () => {
    const el = await form()
    await expect(el).to.be.accessible()
    await submit(el)
    await expect(el).to.be.accessible()
  })

  it('has an intro, labelled 16px fields and a submit button', async () => {
    const el = await form()
    for (const name of ['offline-form', 'intro', 'input', 'submit-button']) {
      expect(part(el, name)).to.exist
    }
    expect(part(el, 'intro').textContent).to.equal(
      "We're away right now. Leave a message and we'll reply by email.",
    )
    for (const id of ['name', 'email', 'message']) {
      const input = field(el, id)
      expect(el.shadowRoot!.querySelector(`label[for="${id}"]`), `label of ${id}`).to.exist
      expect(getComputedStyle(input).fontSize).to.equal('16px')
    }
    expect(field(el, 'email').type).to.equal('email')
    expect(field(el, 'email').autocomplete).to.equal('email')
  })

  it('refuses a bad email with an inline error, and sends nothing', async () => {
    const el = await form()
    const submits = record(el, 'chat-widget-offline-submit')
    await fill(el, 'email', 'jane@example')
    await fill(el, 'message', 'Do you ship to Norway?')
    await submit(el)
    expect(submits.length).to.equal(0)
    const email = field(el, 'email')
    expect(email.getAttribute('aria-invalid')).to.equal('true')
    const errorId = email.getAttribute('aria-describedby')!
    const error = el.shadowRoot!.getElementById(errorId)!
    expect(error.textContent).to.equal('Enter an email address like name@example.com')
    expect(el.shadowRoot!.activeElement, 'the wrong field takes focus').to.equal(email)
    expect(field(el, 'message').getAttribute('aria-invalid')).to.equal('false')
  })

  it('requires the email and the message', async () => {
    const el = await form()
    const submits = record(el, 'chat-widget-offline-submit')
    await submit(el)
    expect(submits.length).to.equal(0)
    expect(parts(el, 'field-error').map((node) => node.textContent)).to.deep.equal([
      'Enter your email address',
      'Write your message',
    ])
  })

  it('checks the email when the visitor leaves it, and clears the error once fixed', async () => {
    const el = await form()
    await fill(el, 'email', 'not an email')
    field(el, 'message').focus()
    await el.updateComplete
    expect(field(el, 'email').getAttribute('aria-invalid')).to.equal('true')
    // Tabbing through an empty field is not an error.
    expect(field(el, 'message').getAttribute('aria-invalid')).to.equal('false')
    field(el, 'email').value = ''
    await fill(el, 'email', 'jane@example.com')
    expect(field(el, 'email').getAttribute('aria-invalid')).to.equal('false')
    expect(parts(el, 'field-error')).to.be.empty
  })

  it('refuses a message over the server’s limit, says by how much, and keeps it', async () => {
    const el = await fixture<ChatWidgetOfflineForm>(
      html`<chat-widget-offline-form max-length="10"></chat-widget-offline-form>`,
    )
    const submits = record(el, 'chat-widget-offline-submit')
    await fill(el, 'email', 'jane@example.com')
    await fill(el, 'message', 'eleven long')
    await submit(el)
    expect(submits.length).to.equal(0)
    const message = field<HTMLTextAreaElement>(el, 'message')
    expect(message.getAttribute('aria-invalid')).to.equal('true')
    expect(parts(el, 'field-error').map((node) => node.textContent)).to.deep.equal([
      'Too long to send (11 / 10)',
    ])
    expect(message.value).to.equal('eleven long')
    await expect(el).to.be.accessible()
    // Shortened to the limit, the error goes and the message is sent.
    await sendKeys({ press: 'Backspace' })
    await el.updateComplete
    expect(parts(el, 'field-error')).to.be.empty
    await submit(el)
    expect(submits.map((event) => event.text)).to.deep.equal(['eleven lon'])
  })

  it('sends trimmed values', async () => {
    const el = await form()
    const submits = record(el, 'chat-widget-offline-submit')
    await fill(el, 'name', '  Jane Doe ')
    await fill(el, 'email', ' jane@example.com  ')
    await fill(el, 'message', '  Do you ship to Norway?  ')
    await submit(el)
    expect(submits.length).to.equal(1)
    const [event] = submits
    expect([event!.name, event!.email, event!.text]).to.deep.equal([
      'Jane Doe',
      'jane@example.com',
      'Do you ship to Norway?',
    ])
    expect(event!.composed).to.be.true
  })

  it('is prefilled from name and email', async () => {
    const el = await form('Jane', 'jane@example.com')
    expect(field(el, 'name').value).to.equal('Jane')
    expect(field(el, 'email').value).to.equal('jane@example.com')
    const submits = record(el, 'chat-widget-offline-submit')
    await fill(el, 'message', 'Hi')
    await submit(el)
    expect(submits[0]!.email).to.equal('jane@example.com')
  })

  it('shows sending, then a confirmation with the email as text', async () => {
    const el = await form('', '<b>x</b>@y.z')
    await fill(el, 'message', 'Hi')
    el.email = 'x@y.z'
    await el.updateComplete
    await submit(el)
    el.state = 'sending'
    await el.updateComplete
    const button = part<HTMLButtonElement>(el, 'submit-button')
    expect(button.disabled).to.be.true
    expect(button.textContent!.trim()).to.equal('Sending…')
    expect(field(el, 'message').readOnly).to.be.true
    el.state = 'sent'
    await el.updateComplete
    const confirmation = part(el, 'confirmation')
    expect(confirmation.textContent!.trim()).to.equal("Thanks! We'll get back to you at x@y.z")
    expect(el.shadowRoot!.activeElement).to.equal(confirmation)
    expect(parts(el, 'input')).to.be.empty
  })

  it('renders an address with markup as text', async () => {
    const el = await form()
    el.strings = { sent: (email) => `Reply to ${email}` }
    await fill(el, 'email', '<img>@y.zz')
    await fill(el, 'message', 'Hi')
    await submit(el)
    el.state = 'sent'
    await el.updateComplete
    expect(part(el, 'confirmation').textContent!.trim()).to.equal('Reply to <img>@y.zz')
    expect(part(el, 'confirmation').querySelector('img')).to.be.null
  })

  it('says so when sending failed, and submits again', async () => {
    const el = await form('', 'jane@example.com')
    const submits = record(el, 'chat-widget-offline-submit')
    await fill(el, 'message', 'Hi')
    await submit(el)
    el.state = 'error'
    await el.updateComplete
    const alert = part(el, 'form-error')
    expect(alert.getAttribute('role')).to.equal('alert')
    expect(alert.textContent).to.contain("couldn't be sent")
    expect(field(el, 'message').value, 'the message is kept').to.equal('Hi')
    await submit(el)
    expect(submits.length).to.equal(2)
  })
})
