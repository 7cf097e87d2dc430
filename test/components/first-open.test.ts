/**
 * A first open waits for nothing it does not show: the page's first time format (it loads the
 * locale's data, ~100 ms at 4x CPU) is built after the panel has painted when there is no
 * saved chat to show, and while the saved chat is read when there is one. The formats are
 * cached per page and locale, so each case uses a locale of its own. Nor does it read the visual
 * viewport (a forced layout) before the panel has painted.
 */
import { expect, fixture, html } from '@open-wc/testing'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { until } from './helpers.ts'

/** The locales of every `Intl.DateTimeFormat` built on this page, in order. */
const built: string[] = []
const NativeFormat = Intl.DateTimeFormat
Intl.DateTimeFormat = new Proxy(NativeFormat, {
  construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    built.push(String(args[0]))
    return new target(...args)
  },
})

/** For each read of `visualViewport.height`: whether the panel's input had rendered by then. */
const viewportReads: boolean[] = []
let watched: ChatWidget | null = null
const heightOf = Object.getOwnPropertyDescriptor(VisualViewport.prototype, 'height')!
Object.defineProperty(VisualViewport.prototype, 'height', {
  configurable: true,
  get(this: VisualViewport) {
    const composer = watched?.shadowRoot?.querySelector('chat-widget-composer')
    if (watched) viewportReads.push(!!composer?.shadowRoot?.querySelector('textarea'))
    return heightOf.get!.call(this)
  },
})

const info: Promise<{ url: string; key: string }> = fetch('/__chat-server.json').then((r) =>
  r.json(),
)

const launcherButton = (el: ChatWidget) =>
  el
    .shadowRoot!.querySelector('chat-widget-launcher')!
    .shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!

describe('<chat-widget> first open', () => {
  afterEach(() => localStorage.clear())

  it('without a saved chat, builds the time formats only after the panel has shown', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" lang="fr" server=${url} key=${key}></chat-widget>`,
    )
    launcherButton(el).click()
    await until(() => el.shadowRoot!.querySelector('chat-widget-composer'), 'the panel', 8000)
    expect(built.filter((locale) => locale.startsWith('fr'))).to.deep.equal([])
    await until(() => built.some((locale) => locale.startsWith('fr')), 'formats when idle', 4000)
    el.remove()
  })

  it('with a chat in progress, builds them while its saved messages are read', async () => {
    const { url, key } = await info
    localStorage.setItem(`chat-widget:chat:${key}`, 'yes')
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" lang="de" server=${url} key=${key}></chat-widget>`,
    )
    await until(() => el.client, 'connected at once for the chat in progress', 8000)
    expect(built.filter((locale) => locale.startsWith('de')).length).to.be.greaterThan(0)
    el.remove()
  })

  it('reads the visual viewport once the panel has rendered, and sets its size only when it moved', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    const height = `${Math.round(window.visualViewport!.height)}px`
    watched = el
    viewportReads.length = 0
    launcherButton(el).click()
    await until(() => el.style.getPropertyValue('--_viewport-height') === height, 'synced', 8000)
    expect(viewportReads.length).to.be.greaterThan(0)
    expect(
      viewportReads.every((rendered) => rendered),
      'read before the panel rendered',
    ).to.equal(true)
    // A viewport event that moved nothing leaves the element's style alone (no restyle).
    const styleChanges: MutationRecord[] = []
    const observer = new MutationObserver((records) => styleChanges.push(...records))
    observer.observe(el, { attributeFilter: ['style'] })
    window.visualViewport!.dispatchEvent(new Event('resize'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(styleChanges.length).to.equal(0)
    observer.disconnect()
    watched = null
    el.remove()
  })
})
