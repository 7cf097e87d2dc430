/**
 * A first open waits for nothing it does not show: the page's first time format (it loads the
 * locale's data, ~100 ms at 4x CPU) is built after the panel has painted when there is no
 * saved chat to show, and while the saved chat is read when there is one. The formats are
 * cached per page and locale, so each case uses a locale of its own.
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
})
