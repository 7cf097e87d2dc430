/**
 * The rehearsal of a first open (components/chat-widget/panel/rehearsal.ts): the open panel's
 * parts, rendered and laid out out of sight for one frame, before the visitor opens.
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

/** What each stage added to `root` looked like while it was there. */
function watchStages(root: ShadowRoot) {
  const seen: { parts: string[]; textareaWidth: number; visibility: string; inert: boolean }[] = []
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLDivElement) || !node.inert) continue
        const stage = node
        // Seen once its parts have rendered (microtasks after the append).
        void Promise.resolve().then(async () => {
          const composer = stage.querySelector('chat-widget-composer') as
            | (HTMLElement & { updateComplete: Promise<boolean> })
            | null
          await composer?.updateComplete
          const textarea = composer?.shadowRoot?.querySelector('textarea')
          seen.push({
            parts: PARTS.filter((tag) => stage.querySelector(tag)),
            textareaWidth: textarea?.getBoundingClientRect().width ?? 0,
            visibility: getComputedStyle(stage).visibility,
            inert: stage.inert,
          })
        })
      }
    }
  })
  observer.observe(root, { childList: true })
  return { seen, stop: () => observer.disconnect() }
}

describe('rehearseOpen', () => {
  it('renders the open panel’s parts hidden but laid out, then removes them after a frame', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const root = host.attachShadow({ mode: 'open' })
    rehearseOpen(root)
    const stage = root.firstElementChild as HTMLDivElement
    expect(stage, 'the stage').to.exist
    for (const tag of PARTS) expect(stage.querySelector(tag), tag).to.exist
    const composer = stage.querySelector('chat-widget-composer') as HTMLElement & {
      updateComplete: Promise<boolean>
    }
    await composer.updateComplete
    const textarea = composer.shadowRoot!.querySelector('textarea')!
    // Laid out (`display: none` would leave it 0 wide), yet out of sight and out of reach.
    expect(textarea.getBoundingClientRect().width).to.be.greaterThan(0)
    expect(stage.getBoundingClientRect().right).to.be.at.most(0)
    expect(getComputedStyle(stage).visibility).to.equal('hidden')
    expect(stage.inert).to.equal(true)
    expect(stage.getAttribute('aria-hidden')).to.equal('true')
    textarea.focus()
    expect(root.activeElement, 'focus inside the stage').to.equal(null)
    await until(() => !stage.isConnected, 'the stage removed after a frame', 1000)
    expect(root.childNodes.length).to.equal(0)

    rehearseOpen(root)
    expect(root.childNodes.length, 'a second rehearsal in the same root').to.equal(0)
    host.remove()
  })

  it('runs in the widget after the visitor’s intent, before a first open, once', async () => {
    const { url, key } = await info
    const el = await fixture<ChatWidget>(
      html`<chat-widget preload="intent" server=${url} key=${key}></chat-widget>`,
    )
    const stages = watchStages(el.shadowRoot!)
    // The visitor's pointer crosses the launcher: the panel loads and connects; idle, it rehearses.
    el.shadowRoot!.querySelector('chat-widget-launcher')!.dispatchEvent(
      new PointerEvent('pointerenter'),
    )
    await until(() => stages.seen.length > 0, 'a rehearsal after the intent', 8000)
    const [seen] = stages.seen
    expect(seen!.parts).to.deep.equal(PARTS)
    expect(seen!.textareaWidth).to.be.greaterThan(0)
    expect(seen!.visibility).to.equal('hidden')
    expect(seen!.inert).to.equal(true)
    await until(
      () => !el.shadowRoot!.querySelector('chat-widget-composer'),
      'nothing of it left before the open',
      1000,
    )

    el.open()
    await until(
      () => el.shadowRoot!.querySelector('[part~="panel"] chat-widget-composer'),
      'the panel',
      4000,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    stages.stop()
    expect(stages.seen.length, 'rehearsals').to.equal(1)
    expect(el.shadowRoot!.querySelector(':scope > [inert]'), 'a stage left').to.equal(null)
    el.remove()
  })
})
