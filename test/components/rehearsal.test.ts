/**
 * The rehearsal of a first open (components/chat-widget/panel/rehearsal.ts): the open panel's
 * parts, rendered and laid out out of sight, a group per idle moment, before the visitor opens.
 */
import { expect, fixture, html } from '@open-wc/testing'
import '../../components/chat-widget/chat-widget.ts'
import type { ChatWidget } from '../../components/chat-widget/chat-widget.ts'
import { rehearseOpen } from '../../components/chat-widget/panel/rehearsal.ts'
import { until } from './helpers.ts'

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

/** The stages (inert elements) added to `root` from now on. */
function watchStages(root: ShadowRoot) {
  const stages: HTMLElement[] = []
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement && node.inert) stages.push(node)
      }
    }
  })
  observer.observe(root, { childList: true })
  return { stages, stop: () => observer.disconnect() }
}

/** The stage's composer's text field, once it has rendered. */
const textareaIn = (stage: Element) =>
  stage.querySelector('chat-widget-composer')?.shadowRoot?.querySelector('textarea') ?? null

/** Checks the stage while its last part is there: every part, laid out, out of sight and reach. */
function expectRehearsing(stage: HTMLElement, root: ShadowRoot) {
  for (const tag of PARTS) expect(stage.querySelector(tag), tag).to.exist
  const textarea = textareaIn(stage)!
  // Laid out (`display: none` would leave it 0 wide), yet off-screen, hidden and inert.
  expect(textarea.getBoundingClientRect().width).to.be.greaterThan(0)
  expect(stage.getBoundingClientRect().right).to.be.at.most(0)
  expect(getComputedStyle(stage).visibility).to.equal('hidden')
  expect(stage.inert).to.equal(true)
  expect(stage.getAttribute('aria-hidden')).to.equal('true')
  textarea.focus()
  expect(root.activeElement, 'focus inside the stage').to.equal(null)
}

describe('rehearseOpen', () => {
  it('renders the open panel’s parts hidden but laid out, then removes them', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const root = host.attachShadow({ mode: 'open' })
    rehearseOpen(root)
    const stage = root.firstElementChild as HTMLElement
    expect(stage, 'the stage').to.exist
    // A group of parts per idle moment: the first at once, the composer last.
    expect(stage.querySelector('chat-widget-header'), 'the first group').to.exist
    expect(stage.querySelector('chat-widget-composer'), 'the last group').to.equal(null)
    await until(() => textareaIn(stage), 'the last group rendered', 4000)
    expectRehearsing(stage, root)
    await until(() => !stage.isConnected, 'the stage removed after a frame', 1000)
    expect(root.childNodes.length).to.equal(0)

    rehearseOpen(root)
    expect(root.childNodes.length, 'a second rehearsal in the same root').to.equal(0)
    host.remove()
  })

  it('stops when the panel opens meanwhile', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const root = host.attachShadow({ mode: 'open' })
    rehearseOpen(root)
    const stage = root.firstElementChild as HTMLElement
    const panel = document.createElement('section')
    panel.setAttribute('part', 'panel')
    root.prepend(panel)
    await until(() => !stage.isConnected, 'the stage removed', 4000)
    expect(stage.querySelector('chat-widget-composer'), 'the rest rehearsed').to.equal(null)
    host.remove()
  })

  it('runs in the widget after the visitor’s intent, before a first open, once', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    const watch = watchStages(el.shadowRoot!)
    // The visitor's pointer crosses the launcher: the panel loads and connects; idle, it rehearses.
    el.shadowRoot!.querySelector('chat-widget-launcher')!.dispatchEvent(
      new PointerEvent('pointerenter'),
    )
    await until(() => watch.stages[0] && textareaIn(watch.stages[0]), 'a rehearsal', 8000)
    expectRehearsing(watch.stages[0]!, el.shadowRoot!)
    await until(() => !watch.stages[0]!.isConnected, 'nothing of it left before the open', 1000)

    el.open()
    await until(() => el.shadowRoot!.querySelector('[part~="panel"]'), 'the panel', 4000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    watch.stop()
    expect(watch.stages.length, 'rehearsals').to.equal(1)
    expect(el.shadowRoot!.querySelector(':scope > [inert]'), 'a stage left').to.equal(null)
    el.remove()
  })
})
