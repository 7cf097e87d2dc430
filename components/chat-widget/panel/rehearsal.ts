/**
 * A first open, rehearsed out of sight. The panel's first render on a page pays once for what
 * every later one reuses: Lit prepares each template from its strings, the browser parses the
 * style sheets, matches the rules, picks the fonts and shapes the text. Rendering the parts that
 * every open shows into a hidden but laid-out stage, in idle moments before the visitor opens,
 * takes that off the open. At 4x CPU, open → panel painted, medians of 12–14 opens of each build
 * interleaved, three sets: after a hover 139 → 96, 195 → 113 and 146 → 97 ms; on a click after
 * the idle preload 164 → 128, 185 → 136 and 163 → 127 ms. The stage is off-screen, hidden, inert
 * and contained, so the page neither moves nor sees it. Its parts come in three idle tasks of
 * 35–55 ms at 4x CPU (about 10–14 ms unthrottled; all at once it was one of 95–130 ms), each
 * laid out in the frame after it.
 */
import '../../composer/composer.ts'
import '../../drop-zone/drop-zone.ts'
import '../../header/header.ts'
import '../../message-list/message-list.ts'
import '../../typing-indicator/typing-indicator.ts'
import { afterNextPaint, whenIdle } from '../idle.ts'

/** The roots rehearsed in (once is enough: what it prepares is the page's). */
const rehearsed = new WeakSet<HTMLElement | DocumentFragment>()

/**
 * The open panel's parts (chat-panel.ts), each with its defaults: the same templates. One group
 * an idle moment, so that no task of it is long (all at once: 95–130 ms at 4x CPU).
 */
const STEPS: (() => HTMLElement[])[] = [
  () => [document.createElement('chat-widget-header')],
  () => {
    const dropZone = document.createElement('chat-widget-drop-zone')
    dropZone.append(document.createElement('chat-widget-message-list'))
    return [dropZone]
  },
  () => [
    document.createElement('chat-widget-typing-indicator'),
    document.createElement('chat-widget-composer'),
  ],
]

/**
 * Renders the open panel's parts into `root`, hidden, a group per idle moment, and removes them
 * once a frame has laid out the last. Once per root, and not once the panel is open.
 */
export function rehearseOpen(root: HTMLElement | DocumentFragment): void {
  // Once the panel is there, its parts have rendered for real.
  const opened = () => !!root.querySelector('[part~="panel"]')
  if (rehearsed.has(root) || opened()) return
  rehearsed.add(root)
  const stage = document.createElement('div')
  // Laid out (unlike `display: none`), never seen, focused, read out or measured by the page.
  stage.inert = true
  stage.setAttribute('aria-hidden', 'true')
  Object.assign(stage.style, {
    position: 'fixed',
    top: '0',
    left: '-10000px',
    width: '360px',
    height: '520px',
    display: 'flex',
    flexDirection: 'column',
    visibility: 'hidden',
    contain: 'strict',
    pointerEvents: 'none',
  })
  root.append(stage)
  const steps = [...STEPS]
  const next = () => {
    const step = steps.shift()
    if (!step || opened() || !stage.isConnected) {
      // The parts render in their task's microtasks; the next frame lays them out.
      afterNextPaint(() => stage.remove())
      return
    }
    stage.append(...step())
    whenIdle(next)
  }
  next()
}
