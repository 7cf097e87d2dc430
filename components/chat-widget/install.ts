/**
 * Entry of the widget (`dist/chat-widget.js`): loading it defines `<chat-widget>` and paints its
 * launcher; the rest comes in chunks from `dist/chat-widget/` beside it when needed.
 * A script tag with `data-key` (and usually `data-server`) also installs the widget by itself:
 *
 *   <script type="module" src="https://chat.example.com/chat-widget.js"
 *           data-server="https://chat.example.com" data-key="ACCOUNT_KEY"></script>
 *
 * Every other `data-*` attribute of the tag becomes an attribute of the element
 * (`data-position="bottom-left"` → `position="bottom-left"`).
 */
import './chat-widget.ts'

/** Our own script tag, found by URL: a module script has no `document.currentScript`. */
function ownScript(): HTMLScriptElement | null {
  const url = import.meta.url
  return (
    Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-key]')).find(
      (script) => script.src === url,
    ) ?? null
  )
}

/** Appends a configured `<chat-widget>` to the body, unless the page placed one itself. */
export function installFromScript(script: HTMLScriptElement | null): HTMLElement | null {
  if (!script?.dataset.key || document.querySelector('chat-widget')) return null
  const widget = document.createElement('chat-widget')
  // The server defaults to where the script came from: the reference server serves both.
  if (!script.dataset.server && script.src)
    widget.setAttribute('server', new URL(script.src).origin)
  for (const [name, value] of Object.entries(script.dataset)) {
    const attribute = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
    widget.setAttribute(attribute, value ?? '')
  }
  const append = () => document.body.append(widget)
  if (document.body) append()
  else document.addEventListener('DOMContentLoaded', append, { once: true })
  return widget
}

installFromScript(ownScript())
