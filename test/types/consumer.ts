/**
 * A TypeScript user of the built widget: compiled against `dist/types` (not the sources) by the
 * test command, so the shipped declarations keep the element, its methods and events typed.
 */
import type {} from '../../dist/types/components/chat-widget/install.d.ts'

const widget = document.createElement('chat-widget')
widget.open()
widget.setAttribute('key', 'ACCOUNT_KEY')
widget.addEventListener('chat-widget-message', (event) => {
  const text: string | null = event.detail.content.text
  console.log(text)
})
widget.addEventListener('chat-widget-connection', (event) => {
  const status: 'connecting' | 'online' | 'reconnecting' | 'offline' = event.detail
  console.log(status)
})
void widget.send('Hello')
// @ts-expect-error: not part of the element's API
widget.notAMethod()
