import { css, html, LitElement, nothing } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import type { AgentChat, AgentConnectedData, AgentStatus } from '../../src/protocol.ts'
import { AgentConnection } from './agent-connection.ts'
import './chat-list.ts'
import './conversation-view.ts'
import type { ChatReadEvent, ChatSelectEvent, SignInEvent } from './events.ts'
import { inListOrder } from './format.ts'
import './sign-in-form.ts'
import { baseStyles } from './styles.ts'

/** Where the token is kept between visits. */
const TOKEN_KEY = 'chat-widget.console.token'
/**
 * The status the agent chose, restored on every (re)connect: the server sets an agent offline
 * when its last socket drops, and a network blip must not leave visitors without an agent.
 */
const STATUS_KEY = 'chat-widget.console.status'
/** Below this width the list and the conversation take turns. */
const NARROW = '(max-width: 720px)'

/**
 * The agent console: sign-in, the header with the agent's status, the chat list and the open
 * conversation. Owns the connection and the list of chats, kept live by the server's events.
 */
@customElement('console-app')
export class ConsoleApp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.55rem 0.9rem;
        background: var(--console-surface);
        border-bottom: 1px solid var(--console-border);
      }
      h1 {
        font-size: 1rem;
        margin: 0;
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      h1 small {
        font-weight: 400;
        color: var(--console-muted);
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 0.45rem;
        border-radius: 999px;
      }
      .dot {
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: var(--console-offline);
      }
      .status[aria-checked='true'] .dot {
        background: var(--console-online);
      }
      .banner {
        margin: 0;
        padding: 0.4rem 0.9rem;
        background: var(--console-warning-bg);
        color: var(--console-warning-text);
        font-size: 0.88rem;
        text-align: center;
      }
      main {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: minmax(16rem, 22rem) 1fr;
      }
      chat-list {
        border-right: 1px solid var(--console-border);
      }
      .placeholder {
        display: grid;
        place-items: center;
        color: var(--console-muted);
        padding: 1rem;
        text-align: center;
      }
      :host([narrow]) main {
        grid-template-columns: 1fr;
      }
      :host([narrow]) chat-list {
        border-right: 0;
      }
      .loading {
        margin: auto;
        color: var(--console-muted);
      }
      .who {
        font-size: 0.88rem;
        color: var(--console-muted);
      }
      :host([narrow]) .who {
        display: none;
      }
    `,
  ]

  private readonly connection = new AgentConnection(this)
  private readonly media = matchMedia(NARROW)
  private subs: Array<() => void> = []

  @state() private chats: AgentChat[] = []
  @state() private selectedId: string | null = null
  @state() private narrow = this.media.matches

  override connectedCallback(): void {
    super.connectedCallback()
    this.media.addEventListener('change', this.onMedia)
    const token = takeTokenFromUrl() ?? localStorage.getItem(TOKEN_KEY)
    if (token) this.signIn(token)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.media.removeEventListener('change', this.onMedia)
    this.unsubscribe()
  }

  protected override willUpdate(): void {
    this.toggleAttribute('narrow', this.narrow)
  }

  protected override updated(): void {
    // A refused token is not tried again on the next visit.
    if (this.connection.state === 'refused') localStorage.removeItem(TOKEN_KEY)
    const unread = this.chats.reduce((sum, chat) => sum + chat.unreadCount, 0)
    document.title = unread > 0 ? `(${unread}) Agent console` : 'Agent console'
  }

  override render() {
    const { state, data, error } = this.connection
    if (state === 'signed-out' || state === 'refused') {
      return html`<sign-in-form .error=${error} @console-sign-in=${this.onSignIn}></sign-in-form>`
    }
    if (!data) return html`<p class="loading" role="status">Connecting…</p>`
    const online = data.agent.status === 'online'
    const selected = this.chats.find((chat) => chat.id === this.selectedId)
    const showList = !this.narrow || !selected
    const showChat = !this.narrow || selected
    return html`
      <header>
          <h1>${data.account.name} <small>· Agent console</small></h1>
          <span class="who">${data.agent.nickname || data.agent.fullname}</span>
          <button
            class="status"
            role="switch"
            aria-checked=${online ? 'true' : 'false'}
            aria-label="Available for chats"
            title=${online ? 'You are online: click to go offline' : 'You are offline: click to go online'}
            @click=${() => this.chooseStatus(online ? 'offline' : 'online')}
          >
            <span class="dot" aria-hidden="true"></span>${online ? 'Online' : 'Offline'}
          </button>
          <button @click=${this.signOut}>Sign out</button>
        </header>
        ${
          state === 'reconnecting'
            ? html`<p class="banner" role="status">Connection lost. Reconnecting…</p>`
            : nothing
        }
        <main>
          ${
            showList
              ? html`<chat-list
                .chats=${this.chats}
                .agents=${data.agents}
                .selectedId=${this.selectedId}
                @console-chat-select=${this.onSelect}
              ></chat-list>`
              : nothing
          }
          ${
            showChat
              ? selected
                ? html`<conversation-view
                  .connection=${this.connection}
                  .chat=${selected}
                  .agent=${data.agent}
                  .agents=${data.agents}
                  ?narrow=${this.narrow}
                  @console-chat-select=${this.onSelect}
                  @console-chat-read=${this.onRead}
                ></conversation-view>`
                : html`<p class="placeholder">Pick a chat on the left to answer it.</p>`
              : nothing
          }
        </main>
    `
  }

  private signIn(token: string): void {
    localStorage.setItem(TOKEN_KEY, token)
    this.unsubscribe()
    this.chats = []
    this.selectedId = null
    this.connection.open(token)
    this.listen()
  }

  private readonly signOut = (): void => {
    localStorage.removeItem(TOKEN_KEY)
    this.unsubscribe()
    this.connection.close()
    this.chats = []
    this.selectedId = null
  }

  /** Keeps the chat list live; the open conversation listens for its own messages. */
  private listen(): void {
    const c = this.connection
    this.subs = [
      c.onReady((data) => void this.refresh(data)),
      c.on('chat.updated', ({ chat }) => this.upsert(chat)),
      // The chat as the server stored it after the message (a new chat joins the list);
      // the one in view stays read, its read mark is on the way.
      c.on('chat.message_received', ({ chatId, chat }) => {
        const known = this.chats.find((x) => x.id === chatId)
        const viewing = chatId === this.selectedId && document.visibilityState === 'visible'
        this.upsert(viewing && known ? { ...chat, unreadCount: known.unreadCount } : chat)
      }),
      c.on('chat.closed', ({ chatId }) => this.patch(chatId, { status: 'closed' })),
      c.on('chat.deleted', ({ chatId }) => this.drop(chatId)),
      c.on('chat.rated', ({ chatId, rating }) => this.patch(chatId, { rating })),
      c.on('chat.contact_read', ({ chatId, lastReadAt }) =>
        this.patch(chatId, { visitorLastReadAt: lastReadAt }),
      ),
      c.on('agent.updated', ({ id, changes }) => this.updateAgent(id, changes)),
      c.on('account.updated', ({ status }) => {
        if (c.data && status) c.data = { ...c.data, account: { ...c.data.account, status } }
        this.requestUpdate()
      }),
    ]
  }

  private unsubscribe(): void {
    for (const unsubscribe of this.subs) unsubscribe()
    this.subs = []
  }

  /** After every (re)connect: the open chats from `agent.connect`, then recent closed ones. */
  private async refresh(data: AgentConnectedData): Promise<void> {
    this.chats = [...data.chats].sort(inListOrder)
    const wanted: AgentStatus =
      localStorage.getItem(STATUS_KEY) === 'offline' ? 'offline' : 'online'
    if (data.agent.status !== wanted) void this.setStatus(wanted)
    await this.reloadList()
  }

  private async reloadList(): Promise<void> {
    try {
      const { chats } = await this.connection.request('chats.list', { status: 'all', limit: 100 })
      const fresh = new Map(chats.map((chat) => [chat.id, chat]))
      const kept = this.chats.filter((chat) => !fresh.has(chat.id))
      this.chats = [...kept, ...chats].sort(inListOrder)
    } catch {
      // The list from agent.connect is enough to work with.
    }
  }

  private upsert(chat: AgentChat): void {
    this.chats = [...this.chats.filter((x) => x.id !== chat.id), chat].sort(inListOrder)
  }

  /** A deleted chat leaves the list, and its conversation closes. */
  private drop(chatId: string): void {
    this.chats = this.chats.filter((x) => x.id !== chatId)
    if (this.selectedId === chatId) this.selectedId = null
  }

  private patch(chatId: string, changes: Partial<AgentChat>): void {
    const chat = this.chats.find((x) => x.id === chatId)
    if (chat) this.chats = this.chats.map((x) => (x === chat ? { ...chat, ...changes } : x))
  }

  private updateAgent(id: string, changes: Partial<AgentConnectedData['agent']>): void {
    const data = this.connection.data
    if (!data) return
    this.connection.data = {
      ...data,
      agent: data.agent.id === id ? { ...data.agent, ...changes } : data.agent,
      agents: data.agents.map((agent) => (agent.id === id ? { ...agent, ...changes } : agent)),
    }
    this.requestUpdate()
  }

  private chooseStatus(status: AgentStatus): void {
    localStorage.setItem(STATUS_KEY, status)
    void this.setStatus(status)
  }

  private async setStatus(status: AgentStatus): Promise<void> {
    const data = this.connection.data
    if (!data) return
    const before = data.agent.status
    this.updateAgent(data.agent.id, { status })
    try {
      await this.connection.request('agent.status', { status })
    } catch {
      this.updateAgent(data.agent.id, { status: before })
    }
  }

  private readonly onSignIn = (event: SignInEvent): void => this.signIn(event.token)

  private readonly onSelect = (event: ChatSelectEvent): void => {
    this.selectedId = event.chatId
  }

  private readonly onRead = (event: ChatReadEvent): void => {
    this.patch(event.chatId, { unreadCount: 0, agentLastReadAt: new Date().toISOString() })
  }

  private readonly onMedia = (): void => {
    this.narrow = this.media.matches
  }
}

/** A `?token=` in the URL signs in once; it is removed from the address bar and history. */
function takeTokenFromUrl(): string | null {
  const url = new URL(location.href)
  const token = url.searchParams.get('token')
  if (!token) return null
  url.searchParams.delete('token')
  history.replaceState(history.state, '', url)
  return token
}

declare global {
  interface HTMLElementTagNameMap {
    'console-app': ConsoleApp
  }
}
