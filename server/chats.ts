/**
 * Chat operations shared by the visitor and agent gateways: store, then tell everyone
 * who should know. Gateways validate and pick the chat; this module owns the effects
 * and their broadcasts, so both sides of a conversation stay in step.
 */
import type {
  AccountInfo,
  AgentChat,
  AgentStatus,
  Attachment,
  ChatHistoryOptions,
  ChatHistoryResult,
  ChatInfo,
  Message,
  MessageContent,
  Rating,
  TypingState,
} from '../src/protocol.ts'
import { conflict, notFound } from './gateways/handler.ts'
import type { Hub } from './hub.ts'
import { newId } from './ids.ts'
import { createEvent, createMessage, sameContent } from './messages.ts'
import type { Presence } from './presence.ts'
import type {
  AgentRecord,
  Appended,
  ChatRecord,
  ReadSide,
  Storage,
  VisitorRecord,
} from './storage/types.ts'
import { agentChatView, agentView, chatInfoView } from './views.ts'

/** Newest messages sent with ConnectedData; older ones via `chat.history`. */
export const CONNECT_PAGE = 50

/** What a message may carry besides its content. */
export interface MessageExtras {
  /** Client-generated id: a retry by the same author returns the stored message. */
  clientId?: string | undefined
  /** The visitor wrote while no agent was online (shown flagged in the console). */
  isOffline?: boolean | undefined
  attachments?: Attachment[]
  /**
   * Called once the message's place in the order is fixed (queued for storage), maybe
   * before it is stored: the gateway then lets the socket's next request start.
   */
  onQueued?: (() => void) | undefined
}

/** The stored message of a repeated `clientId`, unless the retry carries other content. */
export function sameOrConflict(stored: Message, content: MessageContent): Message {
  if (!sameContent(stored.content, content))
    throw conflict('This clientId was already used for a different message')
  return stored
}

export class ChatService {
  constructor(
    private readonly storage: Storage,
    private readonly hub: Hub,
    private readonly presence: Presence,
  ) {}

  // --- reading -------------------------------------------------------------------

  async accountInfo(accountId: string): Promise<AccountInfo> {
    const agents = await this.storage.listAgents(accountId)
    return {
      status: this.presence.accountStatus(agents.map((a) => a.id)),
      agents: agents.map((a) => agentView(a, this.presence.statusOf(a.id))),
      groups: [],
    }
  }

  /** The visitor's latest chat with its newest page, or null before the first message. */
  async chatInfo(visitor: VisitorRecord): Promise<ChatInfo | null> {
    if (!visitor.chatId) return null
    const chat = await this.storage.getChat(visitor.chatId)
    if (!chat) return null
    const page = await this.storage.listMessages(chat.id, { limit: CONNECT_PAGE })
    return chatInfoView(chat, page?.messages ?? [])
  }

  async history(chatId: string, options: ChatHistoryOptions): Promise<ChatHistoryResult> {
    const page = await this.storage.listMessages(chatId, {
      ...(options.before !== undefined && { before: options.before }),
      ...(options.after !== undefined && { after: options.after }),
      limit: options.limit ?? CONNECT_PAGE,
    })
    if (!page) throw notFound('Message')
    return page
  }

  /** Tells the account's agents the current state of a chat (the console list stays live). */
  async pushChat(chatId: string, visitor?: VisitorRecord): Promise<void> {
    const found = await this.agentChat(chatId, visitor)
    if (found) this.hub.toAgents(found.accountId, 'chat.updated', { chat: found.view })
  }

  /**
   * The agents' row of a chat as stored now. `visitor` and `stored` (the chat as an append
   * left it), when the caller holds them already, save reading them again.
   */
  private async agentChat(
    chatId: string,
    visitor?: VisitorRecord,
    stored?: ChatRecord,
  ): Promise<{ accountId: string; view: AgentChat } | null> {
    const chat = stored ?? (await this.storage.getChat(chatId))
    if (!chat) return null
    const owner =
      visitor?.id === chat.visitorId ? visitor : await this.storage.getVisitor(chat.visitorId)
    return owner ? { accountId: chat.accountId, view: agentChatView(chat, owner) } : null
  }

  /**
   * A new message to the agents, with their row of the chat as it is after it: one event
   * per message keeps each agent's list and conversation in step (no `chat.updated` too).
   */
  private async messageToAgents(
    chat: ChatRecord,
    { message, chat: after }: Appended,
    visitor?: VisitorRecord,
  ): Promise<void> {
    const found = await this.agentChat(chat.id, visitor, after)
    // Deleted meanwhile: the agents were told so (`chat.deleted`).
    if (!found) return
    this.hub.toAgents(chat.accountId, 'chat.message_received', {
      chatId: chat.id,
      message,
      chat: found.view,
    })
  }

  // --- messages --------------------------------------------------------------------

  /**
   * A visitor's text or upload: opens a chat when needed. A repeated `clientId` returns
   * the stored message, or is refused (`conflict`) when the content differs.
   */
  async visitorMessage(
    visitor: VisitorRecord,
    content: MessageContent,
    { clientId, isOffline, attachments, onQueued }: MessageExtras = {},
  ): Promise<Message> {
    // A retry into the open chat is found by the append itself (one read less per message);
    // before a new chat is opened it is looked for here, or a retry would open one.
    let chat = await this.currentChat(visitor)
    if (!chat) {
      const existing = clientId && (await this.storage.findMessageByClientId(visitor.id, clientId))
      if (existing) return sameOrConflict(existing, content)
      chat = await this.openChat(visitor)
    }
    const message = createMessage({
      chatId: chat.id,
      visitorId: visitor.id,
      subType: 'contact',
      content,
      ...(attachments && { attachments }),
    })
    if (isOffline) message.isOffline = true
    if (!clientId) return this.post(chat, message, { onQueued, visitor })
    // Echoed so every tab can match the broadcast to its pending copy before the ack.
    message.clientId = clientId
    // Another socket of this visitor may have stored the same clientId meanwhile.
    return sameOrConflict(
      await this.post(chat, message, {
        dedupe: { authorId: visitor.id, clientId },
        onQueued,
        visitor,
      }),
      content,
    )
  }

  /** An agent's text or upload; the first agent message in an unassigned chat joins that agent. */
  async agentMessage(
    agent: AgentRecord,
    chat: ChatRecord,
    content: MessageContent,
    { clientId, attachments, onQueued }: MessageExtras = {},
  ): Promise<Message> {
    // A retry in an open, assigned chat is found by the append; else before the checks
    // below refuse it or join the agent a second time.
    if (clientId && (chat.status === 'closed' || chat.assignedIds.length === 0)) {
      const existing = await this.storage.findMessageByClientId(agent.id, clientId)
      if (existing) return sameOrConflict(existing, content)
    }
    if (chat.status === 'closed') throw conflict('Chat is closed')
    if (chat.assignedIds.length === 0) await this.join(agent, chat)
    const message = createMessage({
      chatId: chat.id,
      visitorId: chat.visitorId,
      subType: 'agent',
      agentId: agent.id,
      content,
      ...(attachments && { attachments }),
    })
    if (!clientId) return this.post(chat, message, { onQueued })
    return sameOrConflict(
      await this.post(chat, message, { dedupe: { authorId: agent.id, clientId }, onQueued }),
      content,
    )
  }

  /** The visitor's chat unless it is closed (or there is none yet). */
  private async currentChat(visitor: VisitorRecord): Promise<ChatRecord | null> {
    const current = visitor.chatId ? await this.storage.getChat(visitor.chatId) : null
    return current && current.status !== 'closed' ? current : null
  }

  /**
   * The visitor's open chat when another tab has just opened one, else a new one (other
   * tabs learn the new `chatId`).
   */
  private async openChat(visitor: VisitorRecord): Promise<ChatRecord> {
    const now = new Date().toISOString()
    const { chat, created } = await this.storage.ensureOpenChat(visitor.id, newId(), now)
    if (created) {
      visitor.chatId = chat.id
      this.hub.toVisitor(visitor.id, 'visitor.updated', {
        id: visitor.id,
        changes: { chatId: chat.id },
      })
    }
    return chat
  }

  /** Stores a message and delivers it to every tab of the visitor and to the agents. */
  async post(
    chat: ChatRecord,
    message: Message,
    {
      dedupe,
      onQueued,
      visitor,
    }: {
      dedupe?: { authorId: string; clientId: string }
      onQueued?: (() => void) | undefined
      /** The chat's visitor, when the caller has it. */
      visitor?: VisitorRecord
    } = {},
  ): Promise<Message> {
    // Without the visitor at hand, the agents' event needs it: the storage may read it with the append.
    const pending = this.storage.addMessage(message, dedupe, { withVisitor: !visitor })
    if (this.storage.appendsInCallOrder) onQueued?.()
    const stored = await pending
    if (stored.created) {
      this.hub.toVisitor(chat.visitorId, 'chat.message_received', {
        chatId: chat.id,
        message: stored.message,
      })
      await this.messageToAgents(chat, stored, visitor ?? stored.visitor)
    }
    return stored.message
  }

  /** Stores an event message; agents get it as a message, visitors inside the specific event. */
  private async postEvent(chat: ChatRecord, event: Message): Promise<Message> {
    const stored = await this.storage.addMessage(event, undefined, { withVisitor: true })
    await this.messageToAgents(chat, stored, stored.visitor)
    return stored.message
  }

  // --- typing and reads --------------------------------------------------------------

  visitorTyping(visitor: VisitorRecord, chat: ChatRecord, typing: TypingState): void {
    this.hub.toAgents(chat.accountId, 'chat.visitor_typing', {
      chatId: chat.id,
      visitorId: visitor.id,
      typing,
    })
  }

  agentTyping(agent: AgentRecord, chat: ChatRecord, typing: TypingState): void {
    this.hub.toVisitor(chat.visitorId, 'chat.agent_typing', { chatId: chat.id, typing })
    this.hub.toAgents(chat.accountId, 'chat.agent_typing', {
      chatId: chat.id,
      agentId: agent.id,
      typing,
    })
  }

  /** Moves a read mark to now; both sides hear it (the visitor's tabs agree on unread). */
  async read(chat: ChatRecord, side: ReadSide, byId: string): Promise<void> {
    const now = new Date().toISOString()
    await this.storage.markRead(chat.id, side, now)
    const event = { chatId: chat.id, lastReadAt: now, byId }
    const name = side === 'visitor' ? 'chat.contact_read' : 'chat.agent_read'
    this.hub.toVisitor(chat.visitorId, name, event)
    this.hub.toAgents(chat.accountId, name, event)
    await this.pushChat(chat.id)
  }

  // --- assignment and closing ----------------------------------------------------------

  async join(agent: AgentRecord, chat: ChatRecord): Promise<void> {
    if (chat.status === 'closed') throw conflict('Chat is closed')
    if (chat.assignedIds.includes(agent.id)) return
    await this.setAssigned(chat, [...chat.assignedIds, agent.id])
    const message = await this.postEvent(
      chat,
      this.agentEvent(chat, agent, { type: 'agent_join', text: null, data: { agentId: agent.id } }),
    )
    const view = agentView(agent, this.presence.statusOf(agent.id))
    this.hub.toVisitor(chat.visitorId, 'chat.agent_joined', {
      chatId: chat.id,
      agent: view,
      message,
    })
  }

  async leave(agent: AgentRecord, chat: ChatRecord): Promise<void> {
    if (!chat.assignedIds.includes(agent.id)) return
    await this.setAssigned(chat, without(chat.assignedIds, agent.id))
    const message = await this.postEvent(
      chat,
      this.agentEvent(chat, agent, {
        type: 'agent_leave',
        text: null,
        data: { agentId: agent.id },
      }),
    )
    const view = agentView(agent, this.presence.statusOf(agent.id))
    this.hub.toVisitor(chat.visitorId, 'chat.agent_left', { chatId: chat.id, agent: view, message })
  }

  /**
   * `by` assigns the chat to `agent` (a colleague, or `by` itself): as a join, with an
   * `agent_assign` event and `chat.agent_assigned` to the visitor. No-op when assigned.
   */
  async assign(by: AgentRecord, agent: AgentRecord, chat: ChatRecord): Promise<void> {
    if (chat.status === 'closed') throw conflict('Chat is closed')
    if (chat.assignedIds.includes(agent.id)) return
    await this.setAssigned(chat, [...chat.assignedIds, agent.id])
    const message = await this.postEvent(
      chat,
      this.agentEvent(chat, agent, {
        type: 'agent_assign',
        text: null,
        data: { assigned: agent.id, assignedBy: by.id },
      }),
    )
    this.hub.toVisitor(chat.visitorId, 'chat.agent_assigned', {
      chatId: chat.id,
      assigned: agentView(agent, this.presence.statusOf(agent.id)),
      assignedBy: agentView(by, this.presence.statusOf(by.id)),
      message,
    })
  }

  /** The reverse of `assign`, as a leave: `agent_unassign`, `chat.agent_unassigned`. */
  async unassign(by: AgentRecord, agent: AgentRecord, chat: ChatRecord): Promise<void> {
    if (!chat.assignedIds.includes(agent.id)) return
    await this.setAssigned(chat, without(chat.assignedIds, agent.id))
    const message = await this.postEvent(
      chat,
      this.agentEvent(chat, agent, {
        type: 'agent_unassign',
        text: null,
        data: { unassigned: agent.id, unassignedBy: by.id },
      }),
    )
    this.hub.toVisitor(chat.visitorId, 'chat.agent_unassigned', {
      chatId: chat.id,
      unassigned: agentView(agent, this.presence.statusOf(agent.id)),
      unassignedBy: agentView(by, this.presence.statusOf(by.id)),
      message,
    })
  }

  /**
   * Deletes a chat with its messages and uploads; the visitor's tabs and the agents get
   * `chat.deleted`, and the visitor's next message opens a new chat. Answers the ids of
   * the deleted files (their blobs are the caller's to remove).
   */
  async delete(chat: ChatRecord): Promise<string[]> {
    const deleted = await this.storage.deleteChat(chat.id)
    if (!deleted) throw notFound('Chat')
    const event = { chatId: chat.id }
    this.hub.toVisitor(chat.visitorId, 'chat.deleted', event)
    this.hub.toAgents(chat.accountId, 'chat.deleted', event)
    return deleted.fileIds
  }

  /** Closes a chat (idempotent); the visitor's next message opens a new one. */
  async close(chat: ChatRecord, by: { agent: AgentRecord } | { visitorId: string }): Promise<void> {
    if (chat.status === 'closed') return
    const closeType = 'agent' in by ? 'agent_close' : 'visitor_close'
    await this.storage.updateChat(chat.id, { status: 'closed' }, new Date().toISOString())
    const message = await this.postEvent(
      chat,
      createEvent({
        chatId: chat.id,
        visitorId: chat.visitorId,
        subType: 'agent' in by ? 'agent' : 'contact',
        agentId: 'agent' in by ? by.agent.id : null,
        content: { type: 'chat_close', text: null, data: { closeType } },
      }),
    )
    const event = { chatId: chat.id, closeType, message }
    this.hub.toVisitor(chat.visitorId, 'chat.closed', event)
    this.hub.toAgents(chat.accountId, 'chat.closed', event)
  }

  /** Stores who is assigned: an open chat with someone, pending with nobody; closed stays closed. */
  private async setAssigned(chat: ChatRecord, assignedIds: string[]): Promise<void> {
    const status = chat.status === 'closed' ? 'closed' : assignedIds.length ? 'open' : 'pending'
    const now = new Date().toISOString()
    Object.assign(chat, await this.storage.updateChat(chat.id, { assignedIds, status }, now))
  }

  /** An event about `agent` (`agentId`, the one the console and widget name in its line). */
  private agentEvent(chat: ChatRecord, agent: AgentRecord, content: MessageContent): Message {
    return createEvent({
      chatId: chat.id,
      visitorId: chat.visitorId,
      subType: 'system',
      agentId: agent.id,
      content,
    })
  }

  // --- rating --------------------------------------------------------------------------

  /**
   * Adds a `rate_form` system message the widget renders as a rating form; works on a
   * closed chat too. While the newest message is still an unanswered form, that form is
   * returned instead of a second one (two tabs asking at once).
   */
  async rateInit(chat: ChatRecord): Promise<Message> {
    const last = chat.lastMessage
    if (last?.content.type === 'rate_form' && last.content.data?.value == null) return last
    const message = createMessage({
      chatId: chat.id,
      visitorId: chat.visitorId,
      subType: 'system',
      content: { type: 'rate_form', text: null, data: { value: null, text: null } },
    })
    return this.post(chat, message)
  }

  /**
   * Stores the rating on the chat and on its form message; `chat.rated` to both sides.
   * The form must be in a chat of this visitor (any of them, closed ones included).
   * A blank comment is no comment.
   */
  async rate(visitorId: string, messageId: string, value?: number, text?: string): Promise<void> {
    const form = await this.storage.getMessage(messageId)
    const chat = form && (await this.storage.getChat(form.chatId))
    if (!form || !chat || chat.visitorId !== visitorId || form.content.type !== 'rate_form')
      throw notFound('Rating form')
    const ratingValue = value ?? chat.rating?.value
    if (ratingValue === undefined) throw conflict('A rating needs a value')
    const comment = text === undefined ? (chat.rating?.text ?? null) : text.trim() || null
    const rating: Rating = { value: ratingValue, text: comment }
    const message: Message = { ...form, content: { ...form.content, data: rating } }
    await this.storage.updateMessage(message)
    await this.storage.updateChat(chat.id, { rating }, new Date().toISOString())
    const event = { chatId: chat.id, rating, message }
    this.hub.toVisitor(chat.visitorId, 'chat.rated', event)
    this.hub.toAgents(chat.accountId, 'chat.rated', event)
    await this.pushChat(chat.id)
  }

  // --- agents ----------------------------------------------------------------------------

  /** Sets an agent's status; visitors and agents hear the agent's and the account's change. */
  async setAgentStatus(agent: AgentRecord, status: AgentStatus): Promise<void> {
    const ids = (await this.storage.listAgents(agent.accountId)).map((a) => a.id)
    const before = this.presence.accountStatus(ids)
    if (!this.presence.setStatus(agent.id, status)) return
    const after = this.presence.accountStatus(ids)
    const agentChange = { id: agent.id, changes: { status } }
    this.hub.toAccountVisitors(agent.accountId, 'agent.updated', agentChange)
    this.hub.toAgents(agent.accountId, 'agent.updated', agentChange)
    if (before !== after) {
      this.hub.toAccountVisitors(agent.accountId, 'account.updated', { status: after })
      this.hub.toAgents(agent.accountId, 'account.updated', { status: after })
    }
  }
}

const without = (ids: string[], id: string): string[] => ids.filter((other) => other !== id)
