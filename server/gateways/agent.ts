/**
 * The agent namespace (`/agent`, docs/AGENT-PROTOCOL.md). Authenticated in the
 * handshake (`auth: { token }`), so every request already knows its agent; an agent
 * only ever sees chats of its own account.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { DisconnectReason, Namespace, Socket } from 'socket.io'
import type * as v from 'valibot'
import { type AgentConnectedData, type ChatStatus, SERVER_VERSION } from '../../src/protocol.ts'
import type { ChatService } from '../chats.ts'
import { accountRoom } from '../hub.ts'
import type { Logger } from '../logger.ts'
import { textContent, uploadContent } from '../messages.ts'
import type { Presence } from '../presence.ts'
import * as schema from '../schemas.ts'
import type { AgentRecord, ChatRecord, Storage } from '../storage/types.ts'
import type { Uploads } from '../uploads.ts'
import { agentChatView, agentView } from '../views.ts'
import { baseUrlOf } from './base-url.ts'
import { conflict, notFound, type RouteContext, Router } from './handler.ts'

export interface AgentGatewayDeps {
  storage: Storage
  chats: ChatService
  presence: Presence
  uploads: Uploads
  /** `ServerConfig.maxTextLength`: the longest text an agent may send. */
  maxTextLength: number
  /** `ServerConfig.agentReconnectGraceMs`: how long a dropped agent still counts as there. */
  reconnectGraceMs: number
  log: Logger
}

/** The agent gateway's own clean-up, for the server's `close()`. */
export interface AgentGateway {
  /** Counts out at once the sockets still in their grace (before the storage closes). */
  flushDropped(): void
}

/** Why a socket closed without anyone meaning it to: a reload, a network blip, a sleeping laptop. */
const DROPPED: ReadonlySet<DisconnectReason> = new Set([
  'transport close',
  'transport error',
  'ping timeout',
])

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The agent owning `token`; digests are compared in constant time. */
export async function findAgentByToken(
  storage: Storage,
  token: string,
): Promise<AgentRecord | null> {
  const wanted = digest(token)
  let found: AgentRecord | null = null
  for (const agent of await storage.listAgents()) {
    // No early exit: the time taken does not tell which agent matched.
    if (timingSafeEqual(wanted, digest(agent.token))) found = agent
  }
  return found
}

export function attachAgentGateway(ns: Namespace, deps: AgentGatewayDeps): AgentGateway {
  const { storage, chats, presence, uploads } = deps
  const texts = schema.textSchemas(deps.maxTextLength)

  ns.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
    const refuse = (message: string) => {
      deps.log.warn({ ns: 'agent', ip: socket.handshake.address, reason: message }, 'agent refused')
      next(Object.assign(new Error(message), { data: { code: 401, type: 'auth_error' } }))
    }
    if (typeof token !== 'string' || token.length === 0 || token.length > 512)
      return refuse('Agent token required')
    findAgentByToken(storage, token).then(
      (agent) => {
        if (!agent) return refuse('Invalid agent token')
        socket.data.agent = agent
        next()
      },
      (err) => next(err instanceof Error ? err : new Error('Server error')),
    )
  })

  const log = deps.log.child({ ns: 'agent' })
  const router = new Router(log)
  const agentOf = (socket: Socket) => socket.data.agent as AgentRecord
  /** Serves `event` with the socket's agent at hand (set by the handshake above). */
  const on = <S extends v.GenericSchema>(
    event: string,
    payload: S,
    run: (
      agent: AgentRecord,
      input: v.InferOutput<S>,
      context: RouteContext,
      socket: Socket,
    ) => unknown,
    needsAck = false,
  ) =>
    router.on(
      event,
      payload,
      (socket, input, context) => run(agentOf(socket), input, context, socket),
      { needsAck },
    )

  /** Takes a socket out of the agent's count; the last one gone is the agent gone. */
  const countOut = (agent: AgentRecord) => {
    // Visitors must not wait for nobody.
    if (presence.socketDisconnected(agent.id))
      chats
        .setAgentStatus(agent, 'offline')
        .catch((err) => log.error({ err, agent: agent.id }, 'going offline failed'))
  }
  /** Dropped sockets in their grace, and whose they were. */
  const dropped = new Map<ReturnType<typeof setTimeout>, AgentRecord>()

  ns.on('connection', (socket) => {
    const agent = agentOf(socket)
    log.info({ socket: socket.id, agent: agent.id }, 'agent connected')
    presence.socketConnected(agent.id)
    socket.join(accountRoom(agent.accountId))
    router.attach(socket)
    socket.on('disconnect', (reason) => {
      log.info({ socket: socket.id, agent: agent.id, reason }, 'agent disconnected')
      if (!DROPPED.has(reason) || deps.reconnectGraceMs <= 0) return countOut(agent)
      // Counted out later: a console that reloads is back (another socket counted in) by then,
      // and the agent never looked offline to visitors.
      const timer = setTimeout(() => {
        dropped.delete(timer)
        countOut(agent)
      }, deps.reconnectGraceMs)
      timer.unref()
      dropped.set(timer, agent)
    })
  })

  const chatOf = async (agent: AgentRecord, chatId: string) => {
    const chat = await storage.getChat(chatId)
    if (!chat || chat.accountId !== agent.accountId) throw notFound('Chat')
    return chat
  }

  const listChats = async (agent: AgentRecord, statuses: ChatStatus[], limit: number) => {
    const records = await storage.listChats(agent.accountId, { statuses, limit })
    const views = []
    for (const chat of records) {
      const visitor = await storage.getVisitor(chat.visitorId)
      if (visitor) views.push(agentChatView(chat, visitor))
    }
    return views
  }

  on(
    'agent.connect',
    schema.NoPayload,
    async (agent): Promise<AgentConnectedData> => {
      const account = await storage.getAccount(agent.accountId)
      if (!account) throw notFound('Account')
      const info = await chats.accountInfo(agent.accountId)
      return {
        serverVersion: SERVER_VERSION,
        agent: agentView(agent, presence.statusOf(agent.id)),
        account: { key: account.key, name: account.name, status: info.status },
        agents: info.agents,
        chats: await listChats(agent, ['pending', 'open'], 100),
        maxTextLength: deps.maxTextLength,
      }
    },
    true,
  )

  on('agent.status', schema.AgentStatusChange, async (agent, { status }) => {
    await chats.setAgentStatus(agent, status)
  })

  on(
    'chats.list',
    schema.ChatsList,
    async (agent, { status, limit }) => {
      const statuses: ChatStatus[] =
        status === 'all' ? ['pending', 'open', 'closed'] : status ? [status] : ['pending', 'open']
      return { chats: await listChats(agent, statuses, limit) }
    },
    true,
  )

  on(
    'chat.history',
    schema.AgentHistory,
    async (agent, { chatId, ...options }) =>
      chats.history((await chatOf(agent, chatId)).id, options),
    true,
  )

  on(
    'chat.message',
    texts.AgentMessage,
    async (agent, { chatId, content, clientId }, { release }) =>
      chats.agentMessage(agent, await chatOf(agent, chatId), textContent(content.text), {
        clientId,
        onQueued: release,
      }),
  )

  /** An open chat of this agent's account: files go only where messages may. */
  const openChatOf = async (agent: AgentRecord, chatId: string) => {
    const chat = await chatOf(agent, chatId)
    if (chat.status === 'closed') throw conflict('Chat is closed')
    return chat
  }
  // The token is bound to this agent and this chat; nobody else can finish it.
  const ownerOf = (agent: AgentRecord, chat: ChatRecord) => ({
    accountId: agent.accountId,
    visitorId: chat.visitorId,
    agentId: agent.id,
    chatId: chat.id,
  })

  on(
    'chat.upload_init',
    schema.ChatRef,
    async (agent, { chatId }, _context, socket) =>
      uploads.init(ownerOf(agent, await openChatOf(agent, chatId)), baseUrlOf(socket)),
    true,
  )

  on(
    'chat.upload_finish',
    schema.AgentUploadFinish,
    async (agent, { chatId, uploadToken }, _context, socket) => {
      const chat = await openChatOf(agent, chatId)
      const attachment = await uploads.finish(ownerOf(agent, chat), uploadToken, baseUrlOf(socket))
      return chats.agentMessage(agent, chat, uploadContent(attachment), {
        attachments: [attachment],
      })
    },
  )

  on('chat.typing', texts.AgentTyping, async (agent, { chatId, typing }) => {
    chats.agentTyping(agent, await chatOf(agent, chatId), {
      is: typing.is,
      text: typing.text ?? null,
    })
  })

  on('chat.read', schema.ChatRef, async (agent, { chatId }) => {
    await chats.read(await chatOf(agent, chatId), 'agent', agent.id)
  })

  on('chat.join', schema.ChatRef, async (agent, { chatId }) => {
    await chats.join(agent, await chatOf(agent, chatId))
  })

  on('chat.leave', schema.ChatRef, async (agent, { chatId }) => {
    await chats.leave(agent, await chatOf(agent, chatId))
  })

  /** An agent of this agent's account (another account's is not found, like its chats). */
  const colleagueOf = async (agent: AgentRecord, agentId: string) => {
    const colleague = await storage.getAgent(agentId)
    if (!colleague || colleague.accountId !== agent.accountId) throw notFound('Agent')
    return colleague
  }

  on('chat.assign', schema.AgentAssignment, async (agent, { chatId, agentId }) => {
    const chat = await chatOf(agent, chatId)
    await chats.assign(agent, await colleagueOf(agent, agentId), chat)
  })

  on('chat.unassign', schema.AgentAssignment, async (agent, { chatId, agentId }) => {
    const chat = await chatOf(agent, chatId)
    await chats.unassign(agent, await colleagueOf(agent, agentId), chat)
  })

  on('chat.delete', schema.ChatRef, async (agent, { chatId }) => {
    const fileIds = await chats.delete(await chatOf(agent, chatId))
    log.info({ agent: agent.id, chatId, files: fileIds.length }, 'chat deleted')
    // The chat is gone either way: its files are unreachable, a blob left behind is only logged.
    await uploads
      .removeFiles(fileIds)
      .catch((err) => log.error({ err, chatId }, 'removing the files of a deleted chat failed'))
  })

  on('chat.close', schema.ChatRef, async (agent, { chatId }) => {
    await chats.close(await chatOf(agent, chatId), { agent })
  })

  return {
    flushDropped() {
      for (const [timer, agent] of dropped) {
        clearTimeout(timer)
        countOut(agent)
      }
      dropped.clear()
    },
  }
}
