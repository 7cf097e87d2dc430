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
 * laid out in the frame after it. For a visitor who comes back to a chat in progress, the list
 * holds the newest of their saved messages: the open lays out the same text, and its forced
 * layout went from 39–54 to 21–26 ms at 4x CPU (bench/history.ts, the returning visitor's open).
 */
import '../../composer/composer.ts'
import '../../drop-zone/drop-zone.ts'
import '../../header/header.ts'
import '../../message-list/message-list.ts'
import '../../typing-indicator/typing-indicator.ts'
import type { Agent } from '../../../src/protocol.ts'
import type { ChatItem } from '../../message-list/chat-item.ts'
import { afterNextPaint, whenIdle } from '../idle.ts'

/**
 * What a returning visitor's open shows first (their saved chat's newest messages, once read):
 * rehearsed too, the open finds its templates prepared and its text shaped.
 */
export interface RehearsedChat {
  items: readonly ChatItem[]
  agents: readonly Agent[]
  locale: string
}

/** The roots rehearsed in (once is enough: what it prepares is the page's). */
const rehearsed = new WeakSet<HTMLElement | DocumentFragment>()

/** A `tag` element holding one element of each of `children`. */
const element = (tag: string, ...children: string[]): HTMLElement => {
  const made = document.createElement(tag)
  for (const child of children) made.append(document.createElement(child))
  return made
}

/**
 * The open panel's parts (chat-panel.ts), each with its defaults: the same templates, and the
 * list with the saved chat's newest messages. With nobody online an open shows the
 * leave-a-message form instead of the composer, and of the list too while the chat has no
 * messages (its module is loaded by then, or it stays an empty tag). One group an idle moment,
 * so that no task of it is long (all at once: 95–130 ms at 4x CPU).
 */
function stepsFor(offline: boolean, chat: () => RehearsedChat | null): (() => HTMLElement[])[] {
  const header = () => [element('chat-widget-header')]
  const chatView = () => {
    const saved = chat()
    // Nobody online: a chat with messages shows them above the form; one without, the form.
    const zone = element(
      'chat-widget-drop-zone',
      ...(offline && !saved?.items.length ? [] : ['chat-widget-message-list']),
      ...(offline ? ['chat-widget-offline-form'] : []),
    )
    if (saved?.items.length) Object.assign(zone.firstElementChild!, saved)
    return [zone]
  }
  if (offline) return [header, chatView]
  return [
    header,
    chatView,
    () => [element('chat-widget-typing-indicator'), element('chat-widget-composer')],
  ]
}

/**
 * Renders the open panel's parts into `root` (those of a leave-a-message open when `offline`;
 * the list with what `chat` returns when its turn comes), hidden, a group per idle moment, and
 * removes them once a frame has laid out the last. Once per root, not once the panel is open,
 * nor in a root off the page. Returns the closed shadow root they render in (for tests), or null
 * when there is nothing to rehearse.
 */
export function rehearseOpen(
  root: HTMLElement | DocumentFragment,
  offline = false,
  chat: () => RehearsedChat | null = () => null,
): ShadowRoot | null {
  // Once the panel is there, its parts have rendered for real; a widget that left the page
  // (whose warm-up went on) has nothing to prepare.
  const opened = () => !!root.querySelector('[part~="panel"]')
  if (rehearsed.has(root) || opened() || !root.isConnected) return null
  rehearsed.add(root)
  const stage = document.createElement('div')
  // Laid out (unlike `display: none`), never seen, reached, read out or measured by the page
  // (hidden and inert: out of the accessibility tree and of focus and clicks too).
  stage.inert = true
  Object.assign(stage.style, {
    position: 'fixed',
    left: '-10000px',
    width: '360px',
    height: '520px',
    display: 'flex',
    flexDirection: 'column',
    visibility: 'hidden',
    contain: 'strict',
  })
  // The parts in a closed shadow root of their own: a page's queries and test tools (which look
  // into open shadow roots) never meet a second header or composer, even while the panel opens.
  const parts = stage.attachShadow({ mode: 'closed' })
  root.append(stage)
  const steps = stepsFor(offline, chat)
  const next = () => {
    const step = steps.shift()
    if (!step || opened() || !stage.isConnected) {
      // The parts render in their task's microtasks; the next frame lays them out.
      afterNextPaint(() => stage.remove())
      return
    }
    parts.append(...step())
    whenIdle(next)
  }
  next()
  return parts
}
