/**
 * The launcher's first paint waits for nothing but rendering: the element's first render reads
 * no storage (a page's first access to it is not free) and starts no request; the online status
 * and whether a chat is in progress are asked for once that frame has painted.
 */
import { expect, fixture, html } from '@open-wc/testing'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { until } from './helpers.ts'

const info: Promise<{ url: string; key: string }> = fetch('/__chat-server.json').then((r) =>
  r.json(),
)

let storageReads = 0
const nativeGetItem = Storage.prototype.getItem
Storage.prototype.getItem = function (this: Storage, key: string) {
  storageReads++
  return nativeGetItem.call(this, key)
}
const statusRequests: string[] = []
const nativeFetch = window.fetch
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  if (String(input).includes('/v1/status')) statusRequests.push(String(input))
  return nativeFetch(input, init)
}

/** Reads of `navigator.connection` (Data Saver), which the first render must not make. */
let connectionReads = 0
Object.defineProperty(navigator, 'connection', {
  configurable: true,
  get() {
    connectionReads++
    return { saveData: false }
  },
})

describe('<chat-widget> first paint', () => {
  it('asks whether Data Saver is on only once the page is idle, not in the first render', async () => {
    const { url, key } = await info
    connectionReads = 0
    const el = await fixture<ChatWidget>(html`<chat-widget server=${url} key=${key}></chat-widget>`)
    const launcher = el.shadowRoot!.querySelector('chat-widget-launcher')!
    await launcher.updateComplete
    expect(connectionReads, 'Data Saver asked in the first render').to.equal(0)
    // The idle preload asks it before it loads the panel.
    await until(() => connectionReads > 0, 'Data Saver asked once the page is idle', 8000)
    el.remove()
  })

  it('renders the launcher before it reads storage or asks for the status', async () => {
    const { url, key } = await info
    storageReads = 0
    statusRequests.length = 0
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    const launcher = el.shadowRoot!.querySelector('chat-widget-launcher')!
    await launcher.updateComplete
    expect(launcher.shadowRoot!.querySelector('[part~="launcher"]')).to.exist
    expect(storageReads, 'storage reads in the first render').to.equal(0)
    expect(statusRequests, 'status requests in the first render').to.deep.equal([])
    await until(() => statusRequests.length === 1, 'the status once painted', 4000)
    await until(() => launcher.getAttribute('status') !== null, 'the status shown', 4000)
    expect(storageReads, 'whether a chat is in progress, after the paint').to.be.greaterThan(0)
    el.remove()
  })

  it('connects at once, after that paint, when a chat is in progress', async () => {
    const { url, key } = await info
    localStorage.setItem(`chat-widget:chat:${key}`, 'yes')
    try {
      const el = await fixture<ChatWidget>(
        html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
      )
      expect(el.client, 'no client in the first render').to.equal(undefined)
      await until(() => el.client, 'a client for the chat in progress', 8000)
      el.remove()
    } finally {
      localStorage.clear()
    }
  })
})
