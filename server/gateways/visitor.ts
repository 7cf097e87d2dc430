/**
 * The visitor namespace (`/`): every row of docs/PROTOCOL.md. A socket is anonymous
 * until `visitor.connect` binds it to an account and a visitor; every other request
 * is refused before that (the `guard`).
 */
import type { Namespace, Socket } from 'socket.io'
import type * as v from 'valibot'
import { type ConnectedData, SERVER_VERSION } from '../../src/protocol.ts'
import { type ChatService, sameOrConflict } from '../chats.ts'
import type { ServerConfig } from '../config.ts'
import { accountRoom, visitorRoom } from '../hub.ts'
import { cleanVariables, diffVisitor, verifyEmailHash, wireChanges } from '../identity.ts'
import { newId } from '../ids.ts'
import type { LimitedAction, RateLimits } from '../limits/rate-limits.ts'
import type { Logger } from '../logger.ts'
import { textContent, uploadContent } from '../messages.ts'
import * as schema from '../schemas.ts'
import type { AccountRecord, Storage, VisitorChanges, VisitorRecord } from '../storage/types.ts'
import type { Transcripts } from '../transcripts.ts'
import type { Uploads } from '../uploads.ts'
import { visitorView } from '../views.ts'
import { originAllowedFor } from './admission.ts'
import { baseUrlOf } from './base-url.ts'
import { notFound, notInitialized, type RouteContext, Router, WireFailure } from './handler.ts'

export interface VisitorGatewayDeps {
  storage: Storage
  chats: ChatService
  uploads: Uploads
  transcripts: Transcripts
  config: ServerConfig
  limits: RateLimits
  log: Logger
}

interface Session {
  account: AccountRecord
  visitorId: string
}

/** What a visitor socket holds between its requests (`socket.data.visitor`). */
interface VisitorSocketState {
  /** Set by `visitor.connect`: which account and visitor this socket speaks for. */
  session: Session | null
  /** A refused origin is logged once per socket. */
  originRefused: boolean
}

export function attachVisitorGateway(ns: Namespace, deps: VisitorGatewayDeps): void {
  const { storage, chats, uploads, transcripts, config, limits } = deps
  // One logger for the namespace, not a child per socket (memory per idle connection):
  // each line names its socket.
  const log = deps.log.child({ ns: 'visitor' })
  const texts = schema.textSchemas(config.maxTextLength)
  // Helpers that need no socket live out here: what is made per connection is kept per
  // connection (10,000 idle sockets multiply every closure).
  const chatOf = async (v: VisitorRecord) => (v.chatId ? storage.getChat(v.chatId) : null)
  const requireChat = async (v: VisitorRecord) => {
    const chat = await chatOf(v)
    if (!chat) throw notFound('Chat')
    return chat
  }
  const ownerOf = (v: VisitorRecord) => ({
    accountId: v.accountId,
    visitorId: v.id,
    agentId: null,
    chatId: null,
  })

  const router = new Router(log)
  const stateOf = (socket: Socket) => (socket.data as { visitor: VisitorSocketState }).visitor
  /** Every event takes a `request` token, some also one of their own kind. */
  const limit = (socket: Socket, action?: LimitedAction) => {
    limits.check('request', socket.id, socket.handshake.address)
    if (action) limits.check(action, socket.id, socket.handshake.address)
  }
  /** The visitor as stored now: another tab may have changed it. */
  const visitor = async (socket: Socket): Promise<VisitorRecord> => {
    const session = stateOf(socket).session
    const found = session && (await storage.getVisitor(session.visitorId))
    if (!found) throw notInitialized()
    return found
  }
  /** Requests after `visitor.connect`: one guard per kind of action, shared by its events. */
  const guards = new Map<LimitedAction | undefined, (socket: Socket) => void>()
  const guardFor = (action?: LimitedAction) => {
    let guard = guards.get(action)
    if (!guard) {
      guard = (socket) => {
        limit(socket, action)
        if (!stateOf(socket).session) throw notInitialized()
      }
      guards.set(action, guard)
    }
    return guard
  }
  const on = <S extends v.GenericSchema>(
    event: string,
    payload: S,
    run: (socket: Socket, input: v.InferOutput<S>, context: RouteContext) => unknown,
    options: { needsAck?: boolean; action?: LimitedAction } = {},
  ) =>
    router.on(event, payload, run, {
      guard: guardFor(options.action),
      needsAck: options.needsAck ?? false,
    })

  ns.on('connection', (socket) => {
    const state: VisitorSocketState = { session: null, originRefused: false }
    socket.data.visitor = state
    router.attach(socket)
    socket.on('disconnect', onDisconnect)
    log.info(
      { socket: socket.id, ip: socket.handshake.address, origin: socket.handshake.headers.origin },
      'visitor socket connected',
    )
  })
  function onDisconnect(this: Socket, reason: string) {
    limits.forget(this.id)
    log.info({ socket: this.id, reason }, 'visitor socket disconnected')
  }

  router.on(
    'visitor.connect',
    schema.ConnectOptions,
    async (socket, options): Promise<ConnectedData> => {
      const state = stateOf(socket)
      const origin = socket.handshake.headers.origin
      const account = await storage.getAccountByKey(options.key)
      if (!account) throw notFound('Account')
      if (!originAllowedFor(origin, socket.handshake.headers.host, account.allowedOrigins)) {
        // Once per socket: retries on it are rate limited, not logged again.
        if (!state.originRefused)
          log.warn(
            { socket: socket.id, account: account.key, origin },
            'visitor refused: origin not allowed',
          )
        state.originRefused = true
        throw new WireFailure('Origin not allowed for this site', 403, 'auth_error')
      }
      const now = new Date().toISOString()
      let current = options.id ? await storage.getVisitor(options.id) : null
      if (current && current.accountId !== account.id) current = null
      const fields: VisitorChanges = {
        name: options.name ?? undefined,
        email: options.email ?? undefined,
        phone: options.phone ?? undefined,
        lang: options.lang ?? undefined,
        group: options.group ?? undefined,
      }
      const page =
        options.pageUrl && schema.isHttpUrl(options.pageUrl)
          ? { pageUrl: options.pageUrl, pageTitle: options.pageTitle ?? null }
          : undefined
      if (!current) {
        current = {
          id: newId(),
          accountId: account.id,
          chatId: null,
          name: fields.name ?? null,
          email: fields.email ?? null,
          phone: fields.phone ?? null,
          lang: fields.lang ?? null,
          group: fields.group ?? null,
          bannedAt: null,
          visits: Math.max(1, options.visits ?? 1),
          variables: cleanVariables(options.variables) ?? {},
          authenticated: false,
          pageUrl: page?.pageUrl ?? null,
          pageTitle: page?.pageTitle ?? null,
          pageAt: page ? now : null,
          referer: options.referer ?? null,
          createdAt: now,
          updatedAt: now,
        }
        await storage.createVisitor(current)
      } else {
        const variables = cleanVariables(options.variables)
        const changes = diffVisitor(current, {
          ...fields,
          ...(variables && { variables: { ...current.variables, ...variables } }),
          ...(options.visits !== undefined &&
            options.visits > current.visits && { visits: options.visits }),
          ...(page && pageChanges(current, page, now)),
          ...(options.referer && { referer: options.referer }),
        })
        if (Object.keys(changes).length) {
          current = await storage.updateVisitor(current.id, changes, now)
          // A new page load: agents see where the visitor is now.
          if (changes.pageUrl !== undefined && current.chatId)
            await chats.pushChat(current.chatId, current)
        }
      }
      if (state.session) {
        socket.leave(visitorRoom(state.session.visitorId))
        socket.leave(accountRoom(state.session.account.id))
      }
      state.session = { account, visitorId: current.id }
      socket.join([visitorRoom(current.id), accountRoom(account.id)])
      log.info(
        { socket: socket.id, account: account.key, visitor: current.id.slice(0, 6) },
        'visitor connected',
      )
      return {
        serverVersion: SERVER_VERSION,
        visitor: visitorView(current),
        browser: null,
        account: await chats.accountInfo(account.id),
        chat: await chats.chatInfo(current),
        uploads: { maxSize: config.uploadMaxBytes, acceptedTypes: config.uploadTypes },
        maxTextLength: config.maxTextLength,
      }
    },
    { needsAck: true, guard: (socket) => limit(socket) },
  )

  /** Stores identity changes; other tabs hear `visitor.updated`, agents `chat.updated`. */
  const applyIdentity = async (socket: Socket, before: VisitorRecord, changes: VisitorChanges) => {
    const diff = diffVisitor(before, changes)
    if (!Object.keys(diff).length) return before
    const after = await storage.updateVisitor(before.id, diff, new Date().toISOString())
    const wire = wireChanges(before, after)
    if (Object.keys(wire).length)
      socket.to(visitorRoom(after.id)).emit('visitor.updated', { id: after.id, changes: wire })
    if (after.chatId) await chats.pushChat(after.chatId, after)
    return after
  }

  on('visitor.update', schema.VisitorUpdate, async (socket, { values }) => {
    const current = await visitor(socket)
    const variables = cleanVariables(values.variables)
    await applyIdentity(socket, current, {
      name: values.name,
      email: values.email,
      phone: values.phone,
      lang: values.lang,
      group: values.group,
      ...(variables && { variables: { ...current.variables, ...variables } }),
      ...(values.pageUrl &&
        pageChanges(
          current,
          { pageUrl: values.pageUrl, pageTitle: values.pageTitle ?? null },
          new Date().toISOString(),
        )),
    })
  })

  on('visitor.authenticate', schema.VisitorAuthenticate, async (socket, { values }) => {
    const current = await visitor(socket)
    const email = values.email === undefined ? current.email : values.email
    // No hash: the identity is kept unverified. A wrong one is refused, nothing is saved.
    const authenticated = !!values.hash
    if (
      values.hash &&
      !(email && verifyEmailHash(stateOf(socket).session!.account.secret, email, values.hash))
    )
      throw new WireFailure('Identity hash does not match the email', 403, 'auth_error')
    const after = await applyIdentity(socket, current, {
      email: values.email,
      name: values.name,
      phone: values.phone,
      authenticated,
    })
    return {
      email: after.email,
      name: after.name,
      phone: after.phone,
      group: after.group,
      variables: { ...after.variables, authenticated },
    }
  })

  // Only the text, clientId and isOffline are read: author, chat and visitor come from
  // the session, whatever else the payload says (the schema strips unknown keys).
  on(
    'chat.message',
    texts.ChatMessage,
    async (socket, input, { release }) =>
      chats.visitorMessage(await visitor(socket), textContent(input.content.text), {
        clientId: input.clientId,
        isOffline: input.isOffline,
        onQueued: release,
      }),
    { action: 'message' },
  )

  on(
    'chat.typing',
    texts.ChatTyping,
    async (socket, { typing }) => {
      const current = await visitor(socket)
      const chat = await chatOf(current)
      if (chat) chats.visitorTyping(current, chat, { is: typing.is, text: typing.text ?? null })
    },
    { action: 'typing' },
  )

  on('chat.read', schema.NoPayload, async (socket) => {
    const current = await visitor(socket)
    const chat = await chatOf(current)
    if (chat) await chats.read(chat, 'visitor', current.id)
  })

  on('chat.close', schema.NoPayload, async (socket) => {
    const current = await visitor(socket)
    const chat = await chatOf(current)
    if (chat) await chats.close(chat, { visitorId: current.id })
  })

  on(
    'chat.upload_init',
    schema.NoPayload,
    async (socket) => uploads.init(ownerOf(await visitor(socket)), baseUrlOf(socket)),
    { needsAck: true, action: 'upload' },
  )

  on(
    'chat.upload_finish',
    schema.UploadFinish,
    async (socket, { uploadToken, clientId }) => {
      const current = await visitor(socket)
      const owner = ownerOf(current)
      const base = baseUrlOf(socket)
      /** A retry after a lost ack (or a race with another tab): the stored message, if any. */
      const stored = async () => {
        const existing = clientId && (await storage.findMessageByClientId(current.id, clientId))
        if (!existing) return null
        const attachment = await uploads.attachmentFor(owner, uploadToken, base)
        if (!attachment)
          throw new WireFailure(
            'This clientId was already used for a different message',
            409,
            'conflict',
          )
        return sameOrConflict(existing, uploadContent(attachment))
      }
      const before = await stored()
      if (before) return before
      let attachment: Awaited<ReturnType<Uploads['finish']>>
      try {
        attachment = await uploads.finish(owner, uploadToken, base)
      } catch (err) {
        const winner = await stored()
        if (winner) return winner
        throw err
      }
      return chats.visitorMessage(current, uploadContent(attachment), {
        clientId,
        attachments: [attachment],
      })
    },
    { action: 'message' },
  )

  on('chat.transcript', schema.Transcript, async (socket, { email, lang }) => {
    const current = await visitor(socket)
    const chat = await requireChat(current)
    const request = {
      id: newId(),
      chatId: chat.id,
      visitorId: current.id,
      email,
      lang,
      createdAt: new Date().toISOString(),
    }
    await storage.addTranscriptRequest(request)
    // The ack means "queued": the mail is built and sent after it, failures only logged.
    setImmediate(() => {
      transcripts
        .send(request)
        .catch((err) => log.error({ err, socket: socket.id }, 'transcript not sent'))
    })
  })

  on('chat.rate_init', schema.NoPayload, async (socket) => ({
    message: await chats.rateInit(await requireChat(await visitor(socket))),
  }))

  on('chat.rate', schema.Rate, async (socket, { messageId, value, text }) => {
    await chats.rate((await visitor(socket)).id, messageId, value, text)
  })

  on(
    'chat.history',
    schema.History,
    async (socket, options) => {
      const chat = await chatOf(await visitor(socket))
      if (!chat) return { messages: [], hasMore: false }
      return chats.history(chat.id, options)
    },
    { needsAck: true },
  )
}

/** The page fields to store when the visitor is on another page (or its title changed). */
function pageChanges(
  current: VisitorRecord,
  page: { pageUrl: string; pageTitle: string | null },
  at: string,
): VisitorChanges {
  if (current.pageUrl !== page.pageUrl) return { ...page, pageAt: at }
  if ((current.pageTitle ?? null) !== page.pageTitle) return { pageTitle: page.pageTitle }
  return {}
}
