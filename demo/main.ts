/**
 * The demo page's chat box, built straight on the Web SDK. A stand-in until the
 * <chat-widget> element replaces it; it shows the SDK's contract in a few lines:
 * rebuild from every `initialized`, and dedupe messages by id.
 */
import { html, nothing, render } from 'lit'
import { createVisitorClient, type Message } from '../src/index.ts'

/** The visitor id, kept so a reload resumes the same visitor and chat. */
const VISITOR_KEY = 'chat-widget.demo.visitor'

const box = document.getElementById('chat')!

const client = createVisitorClient({
  data: { id: localStorage.getItem(VISITOR_KEY), key: 'demo', pageTitle: document.title },
  connection: { url: location.origin },
})

const view = {
  connection: 'connecting' as 'connecting' | 'ready' | 'reconnecting' | 'failed',
  status: 'offline' as 'online' | 'offline',
  messages: [] as Message[],
  agentTyping: false,
  draft: '',
  error: '',
}

function text(message: Message): string {
  return message.content.text ?? message.attachments[0]?.fileName ?? ''
}

/** Tells the agent the visitor has seen the chat (their "Seen" mark). */
function markRead(): void {
  if (document.visibilityState === 'visible' && view.messages.some((m) => m.subType !== 'contact'))
    client.chatRead()
}

function add(message: Message): void {
  if (view.messages.some((m) => m.id === message.id)) return
  view.messages = [...view.messages, message]
}

client.on('initialized', (data) => {
  localStorage.setItem(VISITOR_KEY, data.visitor.id)
  view.connection = 'ready'
  view.status = data.account.status
  view.messages = []
  for (const message of data.chat?.messages ?? []) add(message)
  update(true)
  markRead()
})
client.on('connection.state_changed', (state) => {
  if (state === 'reconnecting') view.connection = 'reconnecting'
  update()
})
client.on('account.status_updated', (status) => {
  view.status = status
  update()
})
client.on('chat.message_received', ({ message }) => {
  if (message.subType === 'agent') view.agentTyping = false
  add(message)
  update(true)
  if (message.subType === 'agent') markRead()
})
document.addEventListener('visibilitychange', markRead)
client.on('chat.agent_typing', ({ typing }) => {
  view.agentTyping = typing.is
  update(true)
})

client.connect().catch((error: Error) => {
  view.connection = 'failed'
  view.error = error.message
  update()
})

let typing = false
let typingTimer: ReturnType<typeof setTimeout> | undefined

function setTyping(is: boolean): void {
  clearTimeout(typingTimer)
  if (is) typingTimer = setTimeout(() => setTyping(false), 3000)
  if (typing === is) return
  typing = is
  client.chatTyping(is)
}

async function send(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const text = view.draft.trim()
  if (!text) return
  view.draft = ''
  view.error = ''
  setTyping(false)
  update()
  try {
    add(await client.chatMessage({ content: { type: 'text', text } }))
  } catch (error) {
    view.draft = text
    view.error = `Not sent: ${(error as Error).message}`
  }
  update(true)
}

function onInput(event: InputEvent): void {
  view.draft = (event.target as HTMLInputElement).value
  setTyping(view.draft.trim() !== '')
  update()
}

function update(scroll = false): void {
  const online = view.status === 'online'
  render(
    html`
      <header>
        <h2>Chat with us</h2>
        <span class="status ${view.status}">
          ${online ? 'We are online' : 'We are away: leave a message'}
        </span>
      </header>
      ${
        view.connection === 'reconnecting'
          ? html`<p class="banner" role="status">Reconnecting…</p>`
          : nothing
      }
      ${view.connection === 'failed' ? html`<p class="banner" role="alert">${view.error}</p>` : nothing}
      <ol class="messages" aria-live="polite">
        ${view.messages.map((m) =>
          m.type === 'event'
            ? nothing
            : html`<li class=${m.subType === 'contact' ? 'mine' : 'theirs'}>${text(m)}</li>`,
        )}
      </ol>
      <p class="typing" aria-live="polite">${view.agentTyping ? 'Agent is typing…' : ''}</p>
      ${view.error && view.connection !== 'failed' ? html`<p class="banner" role="alert">${view.error}</p>` : nothing}
      <form @submit=${send}>
        <input
          aria-label="Your message"
          placeholder="Write a message…"
          autocomplete="off"
          .value=${view.draft}
          @input=${onInput}
        />
        <button type="submit" ?disabled=${!view.draft.trim()}>Send</button>
      </form>
    `,
    box,
  )
  if (scroll) {
    const list = box.querySelector('.messages')
    list?.scrollTo({ top: list.scrollHeight })
  }
}

update()
