/**
 * The rehearsal of a first open (components/chat-widget/panel/rehearsal.ts): the open panel's
 * parts, rendered and laid out out of sight, a group per idle moment, before the visitor opens.
 */
import { expect, fixture, html } from '@open-wc/testing'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { rehearseOpen } from '../../components/chat-widget/panel/rehearsal.ts'
import '../../components/offline-form/offline-form.ts'
import { agentMessage, item, message, until } from './helpers.ts'
import { cleanUp, connectAgent } from './widget-server.ts'

const info: Promise<{ url: string; key: string }> = fetch('/__chat-server.json').then((r) =>
  r.json(),
)

const PARTS = [
  'chat-widget-header',
  'chat-widget-drop-zone',
  'chat-widget-message-list',
  'chat-widget-typing-indicator',
  'chat-widget-composer',
]

/** A shadow root of its own in `host`, on the page. */
function newRoot(): ShadowRoot {
  const host = document.createElement('div')
  document.body.append(host)
  return host.attachShadow({ mode: 'open' })
}

/**
 * The closed shadow roots that stages attach from now on (the page itself cannot reach them),
 * until `stop`.
 */
function watchClosedRoots(): { roots: ShadowRoot[]; stop(): void } {
  const roots: ShadowRoot[] = []
  const attachShadow = HTMLDivElement.prototype.attachShadow
  HTMLDivElement.prototype.attachShadow = function (init) {
    const made = attachShadow.call(this, init)
    if (init.mode === 'closed') roots.push(made)
    return made
  }
  return { roots, stop: () => (HTMLDivElement.prototype.attachShadow = attachShadow) }
}

/** The composer's text field among the rehearsed parts, once it has rendered. */
const textareaIn = (parts: ShadowRoot) =>
  parts.querySelector('chat-widget-composer')?.shadowRoot?.querySelector('textarea') ?? null

/** Checks a rehearsal with its last part there: every part, laid out, out of sight and reach. */
function expectRehearsing(stage: HTMLElement, parts: ShadowRoot) {
  for (const tag of PARTS) expect(parts.querySelector(tag), tag).to.exist
  const textarea = textareaIn(parts)!
  // Laid out (`display: none` would leave it 0 wide), yet off-screen, hidden and inert.
  expect(textarea.getBoundingClientRect().width).to.be.greaterThan(0)
  expect(stage.getBoundingClientRect().right).to.be.at.most(0)
  expect(getComputedStyle(stage).visibility).to.equal('hidden')
  expect(stage.inert).to.equal(true)
  // In a closed shadow root: what queries the page's DOM finds none of it.
  expect(stage.shadowRoot).to.equal(null)
  textarea.focus()
  expect(parts.activeElement, 'focus inside the stage').to.equal(null)
}

describe('rehearseOpen', () => {
  it('renders the open panel’s parts hidden but laid out, then removes them', async () => {
    const root = newRoot()
    const parts = rehearseOpen(root)!
    const stage = root.firstElementChild as HTMLElement
    expect(stage, 'the stage').to.exist
    // A group of parts per idle moment: the first at once, the composer last.
    expect(parts.querySelector('chat-widget-header'), 'the first group').to.exist
    expect(parts.querySelector('chat-widget-composer'), 'the last group').to.equal(null)
    await until(() => textareaIn(parts), 'the last group rendered', 4000)
    expectRehearsing(stage, parts)
    await until(() => !stage.isConnected, 'the stage removed after a frame', 1000)
    expect(root.childNodes.length).to.equal(0)

    expect(rehearseOpen(root), 'a second rehearsal in the same root').to.equal(null)
    expect(root.childNodes.length).to.equal(0)
    root.host.remove()
  })

  it('renders a returning visitor’s newest messages in the list, as the open will show them', async () => {
    const root = newRoot()
    const items = [
      item(message({ text: 'Hello, is the blue one in stock?' })),
      item(agentMessage('It is: shall I keep one for you?')),
    ]
    const agents = [{ id: 'a1', nickname: 'Ada' }] as never
    const parts = rehearseOpen(root, false, () => ({ items, agents, locale: 'en' }))!
    const bubble = () =>
      parts
        .querySelector('chat-widget-message-list')
        ?.shadowRoot?.querySelectorAll<HTMLElement>('[part~="message"]')
    await until(() => bubble()?.length === 2, 'the messages rehearsed', 4000)
    const [visitor, agent] = bubble()!
    expect(visitor!.textContent).to.contain('blue one in stock')
    expect(agent!.textContent).to.contain('keep one for you')
    // Laid out (their text shaped), as the open lays them out.
    expect(visitor!.getBoundingClientRect().width).to.be.greaterThan(0)
    await until(() => !root.firstElementChild, 'the stage removed', 4000)
    root.host.remove()
  })

  it('with nobody online, rehearses a returning visitor’s messages above the leave-a-message form', async () => {
    const root = newRoot()
    const items = [item(message({ text: 'Are you open on Sunday?' }))]
    const parts = rehearseOpen(root, true, () => ({ items, agents: [], locale: 'en' }))!
    const form = () =>
      parts.querySelector('chat-widget-offline-form')?.shadowRoot?.querySelector('form')
    await until(form, 'the form rendered', 4000)
    const bubble = parts
      .querySelector('chat-widget-message-list')
      ?.shadowRoot?.querySelector('[part~="message-contact"]')
    expect(bubble?.textContent).to.contain('open on Sunday')
    expect(parts.querySelector('chat-widget-composer')).to.equal(null)
    await until(() => !root.firstElementChild, 'the stage removed', 4000)
    root.host.remove()
  })

  it('with nobody online, rehearses the leave-a-message form instead of the list and composer', async () => {
    const root = newRoot()
    const parts = rehearseOpen(root, true)!
    const stage = root.firstElementChild as HTMLElement
    const form = () =>
      parts.querySelector('chat-widget-offline-form')?.shadowRoot?.querySelector('form')
    await until(form, 'the form rendered', 4000)
    expect(form()!.getBoundingClientRect().width, 'laid out').to.be.greaterThan(0)
    expect(parts.querySelector('chat-widget-header')).to.exist
    expect(parts.querySelector('chat-widget-message-list')).to.equal(null)
    expect(parts.querySelector('chat-widget-composer')).to.equal(null)
    await until(() => !stage.isConnected, 'the stage removed', 4000)
    root.host.remove()
  })

  it('stops when the panel opens meanwhile, and does not start once it is open or off the page', async () => {
    const root = newRoot()
    const parts = rehearseOpen(root)!
    const stage = root.firstElementChild as HTMLElement
    const panel = document.createElement('section')
    panel.setAttribute('part', 'panel')
    root.prepend(panel)
    await until(() => !stage.isConnected, 'the stage removed', 4000)
    expect(parts.querySelector('chat-widget-composer'), 'the rest rehearsed').to.equal(null)

    const open = newRoot()
    open.append(panel)
    expect(rehearseOpen(open), 'a rehearsal beside an open panel').to.equal(null)
    expect(open.childNodes.length).to.equal(1)

    // A widget that left the page: its warm-up goes on, with nothing to prepare.
    const gone = newRoot()
    gone.host.remove()
    expect(rehearseOpen(gone), 'a rehearsal off the page').to.equal(null)
    expect(gone.childNodes.length).to.equal(0)
    root.host.remove()
    open.host.remove()
  })

  it('runs in the widget after the visitor’s intent, before a first open, once, out of the page’s reach', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    const closed = watchClosedRoots()
    const closedRoots = closed.roots
    const headersSeen: number[] = []
    let watching = true
    const watchHeaders = () => {
      headersSeen.push(el.shadowRoot!.querySelectorAll('chat-widget-header').length)
      if (watching) requestAnimationFrame(watchHeaders)
    }
    watchHeaders()
    try {
      // The visitor's pointer crosses the launcher: the panel loads and connects; idle, it
      // rehearses.
      el.shadowRoot!.querySelector('chat-widget-launcher')!.dispatchEvent(
        new PointerEvent('pointerenter'),
      )
      await until(() => closedRoots[0], 'a rehearsal', 4000)
      const parts = closedRoots[0]!
      const stage = parts.host as HTMLElement
      expect(stage.parentNode, 'in the widget’s shadow root').to.equal(el.shadowRoot)
      expect(stage.inert).to.equal(true)
      // Nobody is online on the test server: a first open would show the leave-a-message form.
      const form = () =>
        parts.querySelector('chat-widget-offline-form')?.shadowRoot?.querySelector('form')
      await until(form, 'the form rehearsed', 4000)
      expect(parts.querySelector('chat-widget-header')?.shadowRoot?.childNodes.length).to.be.above(
        0,
      )
      await until(() => !stage.isConnected, 'nothing of it left before the open', 1000)

      el.open()
      await until(() => el.shadowRoot!.querySelector('[part~="panel"]'), 'the panel', 4000)
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      closed.stop()
      watching = false
    }
    expect(closedRoots.length, 'rehearsals').to.equal(1)
    expect(Math.max(...headersSeen), 'headers the page could find at once').to.equal(1)
    expect(headersSeen[0], 'headers before the open').to.equal(0)
    el.remove()
  })

  it('in the widget, rehearses the saved chat of a visitor who comes back', async function () {
    this.timeout(20_000)
    const { url, key } = await info
    await connectAgent()
    try {
      const first = await fixture<ChatWidget>(
        html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
      )
      await first.send('The order number is 4471')
      // The next page view: the chat in progress connects at once, and prepares the open.
      first.remove()
      const closed = watchClosedRoots()
      const closedRoots = closed.roots
      try {
        const back = await fixture<ChatWidget>(
          html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
        )
        // (The first page's widget may have begun one too, before it left.)
        const rehearsed = () =>
          closedRoots
            .map((parts) => parts.querySelector('chat-widget-message-list'))
            .find(Boolean)
            ?.shadowRoot?.querySelector('[part~="message-contact"]')
        await until(rehearsed, 'the saved message rehearsed', 8000)
        expect(rehearsed()!.textContent).to.contain('The order number is 4471')
        expect(back.shadowRoot!.querySelector('[part~="panel"]'), 'still closed').to.equal(null)
      } finally {
        closed.stop()
      }
    } finally {
      await cleanUp()
    }
  })
})
