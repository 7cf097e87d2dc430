/**
 * `preload`: the panel's code loads once the page is idle (by default) or only on intent, and
 * either way no socket opens before the visitor interacts. The panel's module is loaded once
 * per page, so the cases that expect it not to load come first.
 */
import { expect, fixture, html } from '@open-wc/testing'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { until } from './helpers.ts'

// Counted before anything here imports socket.io-client (it comes with the panel's module).
let sockets = 0
const NativeWebSocket = window.WebSocket
window.WebSocket = class extends NativeWebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args)
    sockets++
  }
}

const info: Promise<{ url: string; key: string }> = fetch('/__chat-server.json').then((r) =>
  r.json(),
)

/** Whether the panel's module was asked for (its request starts as the import does). */
const panelRequested = () =>
  performance.getEntriesByType('resource').some((entry) => entry.name.includes('/chat-panel.'))

/** Whether the panel's module has run (it defines the panel's parts). */
const panelLoaded = () => customElements.get('chat-widget-composer') !== undefined

/** Long enough for the page to be idle a few times over: an idle preload would have started. */
async function idleWhile(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }))
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

/** A rehearsal's stage (rehearsal.ts): the inert element its parts render in. */
const isStage = (node: Node): node is HTMLElement => node instanceof HTMLElement && node.inert

async function widget(preload?: string): Promise<ChatWidget> {
  const { url, key } = await info
  const el = await fixture<ChatWidget>(html`<chat-widget server=${url} key=${key}></chat-widget>`)
  if (preload) el.preload = preload as ChatWidget['preload']
  return el
}

describe('<chat-widget> preload', () => {
  it('with preload="intent" loads nothing until the visitor shows intent', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    expect(el.preload).to.equal('intent')
    await idleWhile()
    expect(panelRequested(), 'the panel module asked for').to.equal(false)
    el.remove()
  })

  it('loads nothing for a visitor with Data Saver on', async () => {
    Object.defineProperty(navigator, 'connection', {
      value: { saveData: true },
      configurable: true,
    })
    try {
      const el = await widget()
      await idleWhile()
      expect(panelRequested(), 'the panel module asked for').to.equal(false)
      el.remove()
    } finally {
      delete (navigator as { connection?: unknown }).connection
    }
  })

  it('loads nothing for a widget that left the page before the page was idle', async () => {
    const el = await widget()
    el.remove()
    await idleWhile()
    expect(panelRequested(), 'the panel module asked for').to.equal(false)
  })

  it('by default loads the panel once the page is idle, with no connection; a click then opens it', async () => {
    const el = await widget()
    // The warm-up's rehearsal of the open (rehearsal.ts) comes and goes in the widget's root.
    const rehearsed: HTMLElement[] = []
    const observer = new MutationObserver((records) => {
      for (const record of records) rehearsed.push(...[...record.addedNodes].filter(isStage))
    })
    observer.observe(el.shadowRoot!, { childList: true })
    expect(el.preload).to.equal('idle')
    await until(panelRequested, 'the panel module asked for', 4000)
    await until(panelLoaded, 'the panel module preloaded', 8000)
    // The warm-up runs in an idle moment after the module.
    await idleWhile()
    observer.disconnect()
    expect(sockets, 'WebSockets before intent').to.equal(0)
    expect(el.client, 'no client before intent').to.equal(undefined)
    expect(rehearsed.length, 'rehearsals of the open').to.equal(1)
    await until(() => !rehearsed[0]!.isConnected, 'the rehearsal over', 4000)

    el.shadowRoot!.querySelector('chat-widget-launcher')!
      .shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!
      .click()
    await until(() => el.client, 'a client once clicked')
    await until(
      () => el.shadowRoot!.querySelector('chat-widget-composer'),
      'the panel with its composer',
    )
    await until(() => sockets > 0, 'a WebSocket once clicked', 4000)
  })
})
