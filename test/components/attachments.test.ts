import '../../components/message-list/message-list.ts'
import '../../components/lightbox/lightbox.ts'
import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { ChatWidgetLightbox } from '../../components/lightbox/lightbox.ts'
import { fileLabel } from '../../components/message-list/message-list.component.ts'
import type { ChatItem, ChatWidgetMessageList } from '../../components/message-list/message-list.ts'
import type { Attachment } from '../../src/protocol.ts'
import {
  agentMessage,
  animationsDone,
  item,
  message,
  part,
  parts,
  record,
  until,
} from './helpers.ts'

async function list(items: ChatItem[]) {
  return fixture<ChatWidgetMessageList>(html`<chat-widget-message-list
    style="height: 400px; width: 360px"
    .items=${items}
  ></chat-widget-message-list>`)
}

/** A pending upload as the connection service keeps it: local data, no url yet. */
function upload(fileName: string, overrides: Partial<ChatItem> = {}, size = 2_400_000): ChatItem {
  const msg = message({
    text: null,
    content: {
      type: 'upload',
      text: null,
      data: { fileName, fileType: 'application/pdf', size, url: '' },
    },
  })
  return { key: `client-${msg.id}`, message: msg, state: 'sending', pending: true, ...overrides }
}

function attachment(overrides: Partial<Attachment> = {}): Attachment {
  return {
    type: 'file',
    fileName: 'report.pdf',
    fileType: 'application/pdf',
    url: 'https://files.example.com/report.pdf',
    expireAt: '2030-01-01T00:00:00Z',
    size: 123_456,
    width: null,
    height: null,
    ...overrides,
  }
}

const photo = (overrides: Partial<Attachment> = {}) =>
  attachment({
    type: 'image',
    fileName: 'photo.png',
    fileType: 'image/png',
    url: '/photo.png',
    width: 1600,
    height: 1200,
    thumb400: { url: '/photo-400.png', expireAt: '', width: 400, height: 300 },
    ...overrides,
  })

/** A confirmed message with these attachments (from an agent unless `contact`). */
function withFiles(attachments: Attachment[], contact = false) {
  return item(
    contact
      ? message({ text: null, attachments })
      : agentMessage('', 'a1', { attachments, content: { type: 'text', text: null, data: null } }),
  )
}

const lightbox = (el: ChatWidgetMessageList) =>
  el.shadowRoot!.querySelector<ChatWidgetLightbox>('chat-widget-lightbox')!
const dialog = (el: ChatWidgetMessageList) => part<HTMLDialogElement>(lightbox(el), 'lightbox')
const deepActive = () => {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active
}

describe('message list: uploads', () => {
  it('is accessible with uploads, failures and attachments', async () => {
    const el = await list([
      upload('draft.pdf', { progress: { loaded: 600_000, total: 2_400_000 } }),
      upload('huge.mov', {
        state: 'failed',
        error: 'File too large (max 10 MB)',
        retryable: false,
      }),
      withFiles([attachment(), photo()]),
    ])
    await animationsDone(el)
    await expect(el).to.be.accessible()
  })

  it('shows a pending upload with its name, size and a real progress bar', async () => {
    const pending = upload('draft.pdf', { progress: { loaded: 600_000, total: 2_400_000 } })
    const el = await list([pending])
    const box = part(el, 'upload')
    expect(box.querySelector('.file-name')!.textContent).to.equal('draft.pdf')
    expect(box.textContent).to.contain('2.3 MB')
    const bar = part(el, 'upload-progress')
    expect(bar.getAttribute('role')).to.equal('progressbar')
    expect(bar.getAttribute('aria-valuenow')).to.equal('25')
    expect(bar.getAttribute('aria-valuemax')).to.equal('100')
    expect(bar.getAttribute('aria-label')).to.equal('Sending draft.pdf')
    expect(bar.querySelector<HTMLElement>('.bar')!.style.width).to.equal('25%')

    el.items = [{ ...pending, progress: { loaded: 1_800_000, total: 2_400_000 } }]
    await el.updateComplete
    expect(part(el, 'upload-progress').getAttribute('aria-valuenow')).to.equal('75')
  })

  it('has an indeterminate bar before the first progress report', async () => {
    const el = await list([upload('draft.pdf')])
    expect(part(el, 'upload-progress').hasAttribute('aria-valuenow')).to.be.false
  })

  it('cancels an upload', async () => {
    const pending = upload('draft.pdf', { progress: { loaded: 1, total: 10 } })
    const el = await list([pending])
    const cancels = record(el, 'chat-widget-cancel')
    const button = part(el, 'cancel-button')
    expect(button.getAttribute('aria-label')).to.equal('Cancel sending draft.pdf')
    button.click()
    expect(cancels.map((event) => event.key)).to.deep.equal([pending.key])
    expect(cancels[0]!.composed).to.be.true
  })

  it('shows why an upload failed, with retry and remove', async () => {
    const failed = upload('draft.pdf', { state: 'failed', error: 'Connection lost' })
    const el = await list([failed])
    expect(parts(el, 'upload-progress')).to.be.empty
    expect(parts(el, 'cancel-button')).to.be.empty
    expect(part(el, 'failure').textContent).to.contain('Connection lost')
    const retries = record(el, 'chat-widget-retry')
    const discards = record(el, 'chat-widget-discard')
    part(el, 'retry-button').click()
    part(el, 'remove-button').click()
    expect(retries.map((event) => event.key)).to.deep.equal([failed.key])
    expect(discards.map((event) => event.key)).to.deep.equal([failed.key])
  })

  it('offers no retry for a file the server will never take', async () => {
    const el = await list([
      upload('huge.mov', {
        state: 'failed',
        error: 'File too large (max 10 MB)',
        retryable: false,
      }),
    ])
    expect(part(el, 'failure').textContent).to.contain('File too large (max 10 MB)')
    expect(parts(el, 'retry-button')).to.be.empty
    expect(part(el, 'remove-button').textContent!.trim()).to.equal('Remove')
  })

  it('says why a send failed in the list’s words, not the server’s English', async () => {
    const tooFast = item(message({ text: 'again' }), 'failed')
    Object.assign(tooFast, {
      key: 'k-1',
      error: 'Too many messages; try again in 3 s',
      reason: 'rate_limited',
    })
    const broken = item(message({ text: 'oops' }), 'failed')
    Object.assign(broken, { key: 'k-2', error: 'Internal server error', reason: 'server' })
    const big = upload('huge.mov', {
      state: 'failed',
      error: 'File too large',
      reason: 'too_large',
    })
    const el = await list([tooFast, broken, big])
    expect(
      parts(el, 'failure').map((node) => node.querySelector('.reason')!.textContent),
    ).to.deep.equal(['Sent too fast — retry in a moment', 'Not sent', 'Too large to send'])
    el.strings = { failedRateLimited: 'Zu schnell gesendet — gleich erneut versuchen' }
    await el.updateComplete
    expect(parts(el, 'failure')[0]!.textContent).to.contain('Zu schnell gesendet')
    expect(el.shadowRoot!.textContent).not.to.contain('Too many messages')
  })

  it('lets the visitor remove a failed text message', async () => {
    const failed = item(message({ text: 'lost' }), 'failed')
    const el = await list([failed])
    expect(part(el, 'failure').textContent).to.contain('Not sent')
    const discards = record(el, 'chat-widget-discard')
    part(el, 'remove-button').click()
    expect(discards.map((event) => event.key)).to.deep.equal([failed.key])
  })

  it('renders a hostile file name as text', async () => {
    const name = '<img src=x onerror=alert(1)>.png'
    const el = await list([upload(name), withFiles([attachment({ fileName: name })])])
    const names = el.shadowRoot!.querySelectorAll('.file-name')
    expect([...names].map((node) => node.textContent)).to.deep.equal([name, name])
    for (const node of names) expect(node.querySelector('img')).to.be.null
    expect(el.shadowRoot!.querySelector('img[src="x"]')).to.be.null
  })
})

describe('message list: attachments', () => {
  it('shows an image thumbnail (thumb400 first) with its size, in a button', async () => {
    const el = await list([withFiles([photo()])])
    const button = part<HTMLButtonElement>(el, 'image-button')
    expect(button.localName).to.equal('button')
    expect(button.getAttribute('aria-label')).to.equal('View image photo.png')
    const img = part<HTMLImageElement>(el, 'image')
    expect(img.getAttribute('src')).to.equal(new URL('/photo-400.png', document.baseURI).href)
    expect(img.getAttribute('width')).to.equal('400')
    expect(img.getAttribute('height')).to.equal('300')
    expect(parts(el, 'file-card')).to.be.empty
  })

  it('keeps a tiny image a button big enough to tap', async () => {
    const tiny = photo({ width: 2, height: 2, thumb400: undefined })
    const el = await list([withFiles([tiny]), withFiles([photo()])])
    const [small, large] = parts(el, 'image-button').map((b) => b.getBoundingClientRect())
    expect(small!.width).to.be.at.least(44)
    expect(small!.height).to.be.at.least(44)
    // A usual photo keeps its own size and shape (400 × 300, as wide as the bubble allows).
    expect(large!.width / large!.height).to.be.closeTo(4 / 3, 0.05)
  })

  it('uses the image itself without a thumbnail', async () => {
    const el = await list([withFiles([photo({ thumb400: undefined })])])
    const img = part<HTMLImageElement>(el, 'image')
    expect(img.getAttribute('src')).to.equal(new URL('/photo.png', document.baseURI).href)
    expect(img.getAttribute('width')).to.equal('1600')
  })

  it('shows other files as a download card', async () => {
    const el = await list([withFiles([attachment()], true)])
    const card = part<HTMLAnchorElement>(el, 'file-card')
    expect(card.href).to.equal('https://files.example.com/report.pdf')
    expect(card.hasAttribute('download')).to.be.true
    expect(card.rel).to.equal('noopener noreferrer')
    expect(card.target).to.equal('_blank')
    expect(card.querySelector('.file-name')!.textContent).to.equal('report.pdf')
    expect(card.querySelector('.file-size')!.textContent).to.equal('121 KB')
    expect(card.querySelector('.file-kind')!.textContent).to.equal('PDF')
    expect(card.textContent!.replace(/\s+/g, ' ').trim()).to.equal('PDF Download report.pdf 121 KB')
  })

  it('never links or shows a javascript: address', async () => {
    const bad = 'javascript:alert(1)'
    const el = await list([
      withFiles([
        attachment({ url: bad }),
        photo({ url: bad, thumb400: { url: bad, expireAt: '', width: 1, height: 1 } }),
        photo({ fileName: 'p2.png', thumb400: { url: bad, expireAt: '', width: 1, height: 1 } }),
      ]),
    ])
    const root = el.shadowRoot!
    const refs = [...root.querySelectorAll('[href], [src]')].map(
      (node) => node.getAttribute('href') ?? node.getAttribute('src'),
    )
    expect(refs.some((ref) => ref!.startsWith('javascript'))).to.be.false
    // The file still says what it was, without a link.
    const card = part(el, 'file-card')
    expect(card.localName).to.equal('span')
    expect(card.textContent).to.contain('report.pdf')
  })

  it('shows no preview for a data: or vbscript: thumbnail: a file card instead', async () => {
    const thumb = (url: string) => ({ url, expireAt: '', width: 1, height: 1 })
    const el = await list([
      withFiles([
        photo({ thumb400: thumb('data:image/svg+xml,<svg onload="alert(1)"/>') }),
        photo({ fileName: 'p2.png', url: 'vbscript:msgbox(1)', thumb400: thumb('/p2.png') }),
      ]),
    ])
    expect(parts(el, 'image')).to.be.empty
    const refs = [...el.shadowRoot!.querySelectorAll('[href], [src]')].map(
      (node) => node.getAttribute('href') ?? node.getAttribute('src') ?? '',
    )
    expect(refs.filter((ref) => !/^https?:/.test(ref))).to.deep.equal([])
    expect(
      parts(el, 'file-card').map((card) => card.querySelector('.file-name')!.textContent),
    ).to.deep.equal(['photo.png', 'p2.png'])
  })

  it('names file kinds', () => {
    expect(fileLabel('a.tar.gz')).to.equal('GZ')
    expect(fileLabel('Quarterly report.docx')).to.equal('DOCX')
    expect(fileLabel('noext', 'application/pdf')).to.equal('PDF')
    expect(fileLabel('noext', '')).to.equal('')
  })
})

describe('lightbox', () => {
  it('is accessible when open', async () => {
    const el = await fixture<ChatWidgetLightbox>(
      html`<chat-widget-lightbox src="/photo.png" name="photo.png" open></chat-widget-lightbox>`,
    )
    await animationsDone(el)
    await expect(el).to.be.accessible()
  })

  it('opens from a thumbnail, labelled, with focus inside', async () => {
    const el = await list([withFiles([photo()])])
    const box = lightbox(el)
    expect(dialog(el).open).to.be.false
    part(el, 'image-button').click()
    await box.updateComplete
    const modal = dialog(el)
    expect(modal.open).to.be.true
    expect(modal.getAttribute('role')).to.equal('dialog')
    expect(modal.getAttribute('aria-modal')).to.equal('true')
    const labelId = modal.getAttribute('aria-labelledby')!
    expect(box.shadowRoot!.getElementById(labelId)!.textContent).to.equal('photo.png')
    const img = part<HTMLImageElement>(box, 'lightbox-image')
    expect(img.getAttribute('src')).to.equal(new URL('/photo.png', document.baseURI).href)
    expect(img.alt).to.equal('photo.png')
    expect(deepActive()).to.equal(part(box, 'lightbox-close'))
  })

  it('closes on Escape and gives focus back to the thumbnail button', async () => {
    const el = await list([withFiles([photo()])])
    const button = part<HTMLButtonElement>(el, 'image-button')
    button.focus()
    button.click()
    await lightbox(el).updateComplete
    await sendKeys({ press: 'Escape' })
    await until(() => !dialog(el).open, 'Escape did not close the lightbox')
    expect(lightbox(el).open).to.be.false
    expect(deepActive()).to.equal(button)
  })

  it('closes from its button and from a click beside the image', async () => {
    const el = await list([withFiles([photo()])])
    const button = part<HTMLButtonElement>(el, 'image-button')
    button.click()
    await lightbox(el).updateComplete
    part(lightbox(el), 'lightbox-close').click()
    await until(() => !dialog(el).open, 'the close button did not close it')
    expect(deepActive(), 'focus back even after a mouse click').to.equal(button)

    button.click()
    await lightbox(el).updateComplete
    part(lightbox(el), 'lightbox-image').click()
    expect(dialog(el).open, 'a click on the image keeps it open').to.be.true
    dialog(el).click()
    await until(() => !dialog(el).open, 'a click on the backdrop did not close it')
  })

  it('shows no image for a javascript: address', async () => {
    const el = await fixture<ChatWidgetLightbox>(
      html`<chat-widget-lightbox src="javascript:alert(1)" name="x.png" open></chat-widget-lightbox>`,
    )
    expect(parts(el, 'lightbox-image')).to.be.empty
    expect(el.shadowRoot!.querySelector('a')).to.be.null
  })
})
