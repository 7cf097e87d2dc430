/**
 * A first open, rehearsed out of sight. The panel's first render on a page pays once for what
 * every later one reuses: Lit prepares each template from its strings, the browser parses the
 * style sheets, matches the rules, picks the fonts and shapes the text. Rendering the parts that
 * every open shows into a hidden but laid-out stage, for one frame, in an idle moment before the
 * visitor opens, takes that off the open. At 4x CPU, open → panel painted, median of 14 opens
 * of each build interleaved, two sets: after a hover 139 → 96 and 195 → 113 ms; on a click after
 * the idle preload 164 → 128 and 185 → 136 ms. The stage is off-screen, hidden, inert and
 * contained, so the page neither moves nor sees it; its render is one idle task of 95–130 ms at
 * 4x CPU, and its layout ~25 ms of the next frame.
 */
import { html, render } from 'lit'
import '../../composer/composer.ts'
import '../../drop-zone/drop-zone.ts'
import '../../header/header.ts'
import '../../message-list/message-list.ts'
import '../../typing-indicator/typing-indicator.ts'
import { afterNextPaint } from '../idle.ts'

/** The roots rehearsed in (once is enough: what it prepares is the page's). */
const rehearsed = new WeakSet<HTMLElement | DocumentFragment>()

/**
 * Renders the open panel's parts into `root`, hidden, and removes them once a frame has laid
 * them out. Once per root, and not once the panel is open.
 */
export function rehearseOpen(root: HTMLElement | DocumentFragment): void {
  // Once the panel is there, its parts have rendered for real.
  if (rehearsed.has(root) || root.querySelector('[part~="panel"]')) return
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
  // The tags of chat-panel.ts's open panel, each with its defaults: the same templates.
  render(
    html`<chat-widget-header></chat-widget-header>
      <chat-widget-drop-zone><chat-widget-message-list></chat-widget-message-list></chat-widget-drop-zone>
      <chat-widget-typing-indicator></chat-widget-typing-indicator>
      <chat-widget-composer></chat-widget-composer>`,
    stage,
  )
  root.append(stage)
  // The parts render in this task's microtasks; the next frame lays them out.
  afterNextPaint(() => stage.remove())
}
