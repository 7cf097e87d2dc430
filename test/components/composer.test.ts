import '../../components/composer/composer.ts'
import { aTimeout, expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { ChatWidgetComposer } from '../../components/composer/composer.ts'
import { animationsDone, part, parts, record, until } from './helpers.ts'

async function composer(throttle = 2000, timeout = 3000) {
  return fixture<ChatWidgetComposer>(
    html`<chat-widget-composer typing-throttle=${throttle} typing-timeout=${timeout}></chat-widget-composer>`,
  )
}

const input = (el: ChatWidgetComposer) => part<HTMLTextAreaElement>(el, 'input')
const sendButton = (el: ChatWidgetComposer) => part<HTMLButtonElement>(el, 'send-button')

/** Focuses the field and types like a person (real key events). */
async function type(el: ChatWidgetComposer, text: string) {
  input(el).focus()
  await sendKeys({ type: text })
  await el.updateComplete
}

describe('chat-widget-composer', () => {
  it('is accessible', async () => {
    const el = await composer()
    await expect(el).to.be.accessible()
  })

  it('has its documented parts, a label and a 16px field', async () => {
    const el = await composer()
    for (const name of ['composer', 'input', 'send-button']) expect(part(el, name)).to.exist
    expect(input(el).getAttribute('aria-label')).to.equal('Message')
    expect(sendButton(el).getAttribute('aria-label')).to.equal('Send')
    expect(getComputedStyle(input(el)).fontSize).to.equal('16px')
  })

  it('writes right to left when the visitor types Arabic, in a left-to-right page', async () => {
    const el = await composer()
    await type(el, 'مرحبا')
    expect(getComputedStyle(input(el)).direction).to.equal('rtl')
  })

  it('keeps a right-to-left page’s direction while empty, and follows what is typed', async () => {
    const host = await fixture(
      html`<div dir="rtl"><chat-widget-composer></chat-widget-composer></div>`,
    )
    const el = host.querySelector('chat-widget-composer')!
    await el.updateComplete
    expect(getComputedStyle(input(el)).direction, 'the placeholder').to.equal('rtl')
    await type(el, 'Hello')
    expect(getComputedStyle(input(el)).direction).to.equal('ltr')
  })

  it('cannot send blank text', async () => {
    const el = await composer()
    expect(sendButton(el).disabled).to.be.true
    await type(el, '   ')
    expect(sendButton(el).disabled).to.be.true
    const sends = record(el, 'chat-widget-send')
    await sendKeys({ press: 'Enter' })
    expect(sends.length).to.equal(0)
    await type(el, 'hi')
    expect(sendButton(el).disabled).to.be.false
  })

  it('sends the trimmed text on Enter and clears', async () => {
    const el = await composer()
    const sends = record(el, 'chat-widget-send')
    await type(el, '  hello there ')
    await sendKeys({ press: 'Enter' })
    expect(sends.map((event) => event.text)).to.deep.equal(['hello there'])
    expect(sends[0]!.bubbles && sends[0]!.composed).to.be.true
    await el.updateComplete
    expect(input(el).value).to.equal('')
    expect(el.value).to.equal('')
    expect(sendButton(el).disabled).to.be.true
  })

  it('starts a new line on Shift+Enter', async () => {
    const el = await composer()
    const sends = record(el, 'chat-widget-send')
    await type(el, 'one')
    await sendKeys({ press: 'Shift+Enter' })
    await sendKeys({ type: 'two' })
    expect(sends.length).to.equal(0)
    expect(input(el).value).to.equal('one\ntwo')
    await sendKeys({ press: 'Enter' })
    expect(sends.map((event) => event.text)).to.deep.equal(['one\ntwo'])
  })

  it('does not send on the Enter that ends an IME composition', async () => {
    const el = await composer()
    const sends = record(el, 'chat-widget-send')
    await type(el, 'nihon')
    const enter = { key: 'Enter', bubbles: true, composed: true, cancelable: true }
    input(el).dispatchEvent(new KeyboardEvent('keydown', { ...enter, isComposing: true }))
    input(el).dispatchEvent(new KeyboardEvent('keydown', { ...enter, keyCode: 229 }))
    expect(sends.length).to.equal(0)
  })

  it('sends from the button', async () => {
    const el = await composer()
    const sends = record(el, 'chat-widget-send')
    await type(el, 'by click')
    sendButton(el).click()
    expect(sends.map((event) => event.text)).to.deep.equal(['by click'])
  })

  it('grows with its text', async () => {
    const el = await composer()
    const oneLine = input(el).offsetHeight
    await type(el, 'a')
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'Shift+Enter' })
    await until(() => input(el).offsetHeight > oneLine, 'the field did not grow')
    await sendKeys({ press: 'Enter' })
    await until(() => input(el).offsetHeight === oneLine, 'the field did not shrink after send')
  })

  it('grows up to about six lines, then scrolls; a value set by code fits too', async () => {
    const el = await composer()
    const oneLine = input(el).offsetHeight
    expect(oneLine).to.be.within(40, 46)
    el.value = Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n')
    await until(() => input(el).offsetHeight === 148, 'the field did not stop at its max height')
    expect(input(el).scrollHeight).to.be.greaterThan(input(el).clientHeight)
    el.value = 'one\ntwo'
    await until(
      () => input(el).offsetHeight > oneLine && input(el).offsetHeight < 148,
      'the field did not fit two lines',
    )
  })

  it('can be disabled', async () => {
    const el = await composer()
    el.value = 'ready'
    el.disabled = true
    await el.updateComplete
    expect(input(el).disabled).to.be.true
    expect(sendButton(el).disabled).to.be.true
    const sends = record(el, 'chat-widget-send')
    el.send()
    expect(sends.length).to.equal(0)
  })

  it('fires nothing when code sets the value', async () => {
    const el = await composer()
    const sends = record(el, 'chat-widget-send')
    const typing = record(el, 'chat-widget-typing')
    el.value = 'draft'
    await el.updateComplete
    expect(input(el).value).to.equal('draft')
    expect(sendButton(el).disabled).to.be.false
    expect(sends.length).to.equal(0)
    expect(typing.length).to.equal(0)
  })

  describe('the server’s length limit', () => {
    async function limited(max: number) {
      return fixture<ChatWidgetComposer>(
        html`<chat-widget-composer max-length=${max}></chat-widget-composer>`,
      )
    }
    const counter = (el: ChatWidgetComposer) => el.shadowRoot!.querySelector('[part="counter"]')

    it('counts only near the limit, then marks an over-long text and keeps it from being sent', async () => {
      const el = await limited(20)
      await type(el, 'twelve chars')
      expect(counter(el), 'no counter far from the limit').to.equal(null)

      await type(el, ' and m')
      // 18 of 20: near the limit, counted, still sendable.
      expect(counter(el)!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('18 / 20')
      expect(input(el).getAttribute('aria-describedby')).to.equal('counter')
      expect(input(el).hasAttribute('aria-invalid')).to.be.false
      expect(sendButton(el).disabled).to.be.false

      await type(el, 'ore!')
      expect(counter(el)!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'Too long to send 22 / 20',
      )
      expect(counter(el)!.querySelector('[role="status"]')!.textContent).to.equal(
        'Too long to send',
      )
      expect(input(el).getAttribute('aria-invalid')).to.equal('true')
      expect(sendButton(el).disabled).to.be.true
      const sends = record(el, 'chat-widget-send')
      await sendKeys({ press: 'Enter' })
      el.send()
      expect(sends.length).to.equal(0)
      expect(input(el).value, 'nothing typed is lost').to.equal('twelve chars and more!')
      await expect(el).to.be.accessible()

      // Shortened back under the limit, it goes.
      await sendKeys({ press: 'Backspace' })
      await sendKeys({ press: 'Backspace' })
      await el.updateComplete
      expect(input(el).hasAttribute('aria-invalid')).to.be.false
      await sendKeys({ press: 'Enter' })
      expect(sends.map((event) => event.text)).to.deep.equal(['twelve chars and mor'])
      expect(counter(el)).to.equal(null)
    })

    it('counts the trimmed text, as the server does', async () => {
      const el = await limited(10)
      el.value = `  ${'x'.repeat(10)}  `
      await el.updateComplete
      expect(sendButton(el).disabled).to.be.false
      expect(counter(el)!.classList.contains('over')).to.be.false
    })
  })

  describe('typing', () => {
    it('says typing at most once per throttle, and stops after a pause', async () => {
      // Wide enough margins for a busy machine: three keystrokes well within one throttle.
      const el = await composer(400, 700)
      const typing = record(el, 'chat-widget-typing')
      await type(el, 'a')
      await type(el, 'b')
      await type(el, 'c')
      expect(typing.map((event) => event.typing)).to.deep.equal([true])

      await aTimeout(420)
      await type(el, 'd')
      expect(typing.map((event) => event.typing)).to.deep.equal([true, true])

      await until(() => typing.length === 3, 'no typing: false after the pause')
      expect(typing[2]!.typing).to.be.false
    })

    it('stops on send', async () => {
      const el = await composer(2000, 5000)
      const typing = record(el, 'chat-widget-typing')
      await type(el, 'hi')
      await sendKeys({ press: 'Enter' })
      expect(typing.map((event) => event.typing)).to.deep.equal([true, false])
    })

    it('stops on blur', async () => {
      const el = await composer(2000, 5000)
      const typing = record(el, 'chat-widget-typing')
      await type(el, 'hi')
      input(el).blur()
      expect(typing.map((event) => event.typing)).to.deep.equal([true, false])
      input(el).focus()
      input(el).blur()
      expect(typing.length).to.equal(2)
    })

    it('stops when the field is emptied', async () => {
      const el = await composer(2000, 5000)
      const typing = record(el, 'chat-widget-typing')
      await type(el, 'x')
      await sendKeys({ press: 'Backspace' })
      expect(typing.map((event) => event.typing)).to.deep.equal([true, false])
    })
  })
})

/** Files as the browser hands them over: in a DataTransfer's `FileList`. */
function transfer(files: File[], text?: string) {
  const data = new DataTransfer()
  for (const file of files) data.items.add(file)
  if (text !== undefined) data.setData('text/plain', text)
  return data
}

const png = (name = 'shot.png') =>
  new File([new Uint8Array([137, 80, 78, 71])], name, { type: 'image/png' })

function paste(el: ChatWidgetComposer, data: DataTransfer) {
  const event = new ClipboardEvent('paste', {
    clipboardData: data,
    bubbles: true,
    composed: true,
    cancelable: true,
  })
  input(el).dispatchEvent(event)
  return event
}

describe('chat-widget-composer attachments', () => {
  it('is accessible with a notice', async () => {
    const el = await fixture<ChatWidgetComposer>(
      html`<chat-widget-composer notice="report.exe can't be sent"></chat-widget-composer>`,
    )
    await animationsDone(el)
    await expect(el).to.be.accessible()
  })

  it('has a labelled attach button and a hidden multiple file input with accept', async () => {
    const el = await fixture<ChatWidgetComposer>(
      html`<chat-widget-composer accept="image/*,application/pdf"></chat-widget-composer>`,
    )
    const button = part<HTMLButtonElement>(el, 'attach-button')
    expect(button.getAttribute('aria-label')).to.equal('Attach a file')
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!
    expect(picker.multiple).to.be.true
    expect(picker.hidden).to.be.true
    expect(picker.accept).to.equal('image/*,application/pdf')
  })

  it('opens the file picker from the attach button', async () => {
    const el = await composer()
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!
    let opened = 0
    picker.addEventListener('click', (event) => {
      opened++
      event.preventDefault()
    })
    part(el, 'attach-button').click()
    expect(opened).to.equal(1)
  })

  it('sends the chosen files as an attach event', async () => {
    const el = await composer()
    const attaches = record(el, 'chat-widget-attach')
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!
    const files = [png('a.png'), new File(['%PDF'], 'b.pdf', { type: 'application/pdf' })]
    picker.files = transfer(files).files
    picker.dispatchEvent(new Event('change', { bubbles: true }))
    expect(attaches.length).to.equal(1)
    expect(attaches[0]!.files.map((file) => file.name)).to.deep.equal(['a.png', 'b.pdf'])
    expect(attaches[0]!.bubbles && attaches[0]!.composed).to.be.true
    expect(picker.value, 'cleared for the next choice').to.equal('')
  })

  it('attaches pasted images', async () => {
    const el = await composer()
    const attaches = record(el, 'chat-widget-attach')
    const event = paste(el, transfer([png('one.png'), png('two.png')]))
    expect(event.defaultPrevented).to.be.true
    expect(attaches.length).to.equal(1)
    expect(attaches[0]!.files.map((file) => file.name)).to.deep.equal(['one.png', 'two.png'])
  })

  it('leaves a text paste alone', async () => {
    const el = await composer()
    const attaches = record(el, 'chat-widget-attach')
    const event = paste(el, transfer([], 'just words'))
    expect(event.defaultPrevented).to.be.false
    // A copy from a document: its text and a picture of it. The text wins.
    const both = paste(el, transfer([png()], 'a paragraph'))
    expect(both.defaultPrevented).to.be.false
    // Not an image: not attached by pasting.
    paste(el, transfer([new File(['x'], 'notes.txt', { type: 'text/plain' })]))
    expect(attaches.length).to.equal(0)
  })

  it('can go without attachments', async () => {
    const el = await fixture<ChatWidgetComposer>(
      html`<chat-widget-composer no-attach></chat-widget-composer>`,
    )
    expect(parts(el, 'attach-button')).to.be.empty
    const attaches = record(el, 'chat-widget-attach')
    paste(el, transfer([png()]))
    expect(attaches.length).to.equal(0)
  })

  it('shows a notice as an alert and dismisses it', async () => {
    const el = await composer()
    expect(parts(el, 'notice')).to.be.empty
    el.notice = "report.exe can't be sent: this type of file isn't accepted"
    await el.updateComplete
    const notice = part(el, 'notice')
    expect(notice.getAttribute('role')).to.equal('alert')
    expect(notice.textContent).to.contain("report.exe can't be sent")
    const dismisses = record(el, 'chat-widget-notice-dismiss')
    const close = part(el, 'notice-dismiss')
    expect(close.getAttribute('aria-label')).to.equal('Dismiss')
    close.click()
    await el.updateComplete
    expect(dismisses.length).to.equal(1)
    expect(parts(el, 'notice')).to.be.empty
    expect(el.shadowRoot!.activeElement, 'focus back in the field').to.equal(input(el))
  })

  it('focuses the field, not the attach button', async () => {
    const el = await composer()
    el.focus()
    expect(el.shadowRoot!.activeElement).to.equal(input(el))
  })
})
