/**
 * The Storage contract as a reusable suite: `storageSuite(name, factory, options)` registers
 * the cases for any implementation (SQLite, PostgreSQL). Each case gets a fresh, empty
 * storage from the factory and closes it afterwards. With `options.another` (a second
 * instance on the same data, like a second server node) the concurrent-writer cases run too.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, type TestContext, test } from 'node:test'
import { newId } from '../../server/ids.ts'
import { createEvent, createMessage, textContent, uploadContent } from '../../server/messages.ts'
import type { ChatRecord, Storage, StoredFile, VisitorRecord } from '../../server/storage/types.ts'
import { attachmentOf } from '../../server/uploads.ts'
import type { Message } from '../../src/protocol.ts'

export interface StorageSuiteOptions {
  /**
   * Opens another instance (its own connection or pool) on the data of the storage the
   * factory made last: two server nodes sharing one database. Closed by the suite.
   */
  another?: () => Promise<Storage>
  /** The stored `seq` of each message of a chat, ascending (read from the database directly). */
  seqs?: (chatId: string) => Promise<number[]>
  /** Why the suite is skipped (e.g. no database to run on). */
  skip?: string
}

export function storageSuite(
  name: string,
  create: () => Promise<Storage>,
  options: StorageSuiteOptions = {},
): void {
  describe(name, { ...(options.skip !== undefined && { skip: options.skip }) }, () => {
    let storage: Storage
    const now = () => new Date().toISOString()
    const extra: Storage[] = []

    beforeEach(async () => {
      storage = await create()
      await storage.saveAccount({
        id: 'acc',
        key: 'k',
        name: 'Shop',
        secret: 's',
        allowedOrigins: ['localhost'],
        createdAt: now(),
      })
    })
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close()
      await storage.close()
    })

    /** A second node on the same data, or a skip when the implementation has none. */
    async function secondNode(t: TestContext): Promise<Storage | null> {
      if (!options.another) {
        t.skip('no second instance on the same data (in-memory)')
        return null
      }
      const other = await options.another()
      extra.push(other)
      return other
    }

    async function visitor(): Promise<VisitorRecord> {
      const v = newVisitor(newId(), 'acc', now())
      await storage.createVisitor(v)
      return v
    }

    function message(
      chatId: string,
      visitorId: string,
      t: string,
      subType: Message['subType'] = 'contact',
    ) {
      return createMessage({ chatId, visitorId, subType, content: textContent(t) })
    }

    test('accounts and agents round-trip; saving again updates', async () => {
      assert.equal((await storage.getAccountByKey('k'))?.name, 'Shop')
      assert.equal(await storage.getAccountByKey('nope'), null)
      const agent = {
        id: 'ag',
        accountId: 'acc',
        token: 't1',
        nickname: 'A',
        fullname: 'A B',
        description: '',
        avatar: '',
        groups: ['sales'],
      }
      await storage.saveAgent(agent)
      await storage.saveAgent({ ...agent, token: 't2' })
      assert.deepEqual(await storage.listAgents('acc'), [{ ...agent, token: 't2' }])
      assert.deepEqual(await storage.listAgents('other'), [])
    })

    test('visitors update and keep their variables', async () => {
      const v = await visitor()
      const updated = await storage.updateVisitor(
        v.id,
        { name: 'Ann', variables: { plan: 'pro', n: 2 }, authenticated: true },
        now(),
      )
      assert.equal(updated.name, 'Ann')
      assert.deepEqual(updated.variables, { plan: 'pro', n: 2 })
      assert.equal(updated.authenticated, true)
      assert.deepEqual(await storage.getVisitor(v.id), updated)
    })

    test('ensureOpenChat reuses the open chat and opens a new one after close', async () => {
      const v = await visitor()
      const first = await storage.ensureOpenChat(v.id, 'c1', now())
      assert.equal(first.created, true)
      assert.equal(first.chat.status, 'pending')
      assert.equal((await storage.getVisitor(v.id))?.chatId, 'c1')
      const again = await storage.ensureOpenChat(v.id, 'c2', now())
      assert.equal(again.created, false)
      assert.equal(again.chat.id, 'c1')
      await storage.updateChat('c1', { status: 'closed' }, now())
      const next = await storage.ensureOpenChat(v.id, 'c3', now())
      assert.equal(next.created, true)
      assert.equal((await storage.getVisitor(v.id))?.chatId, 'c3')
    })

    test('messages keep insertion order within one millisecond; pages by cursor', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const at = new Date()
      const sent: Message[] = []
      for (let i = 0; i < 25; i++) {
        const m = createMessage(
          { chatId: 'c', visitorId: v.id, subType: 'contact', content: textContent(`m${i}`) },
          at,
        )
        sent.push((await storage.addMessage(m)).message)
      }
      const ids = (list: Message[]) => list.map((m) => m.id)
      const newest = await storage.listMessages('c', { limit: 10 })
      assert.deepEqual(ids(newest!.messages), ids(sent.slice(15)))
      assert.equal(newest!.hasMore, true)
      const older = await storage.listMessages('c', { before: sent[15]!.id, limit: 10 })
      assert.deepEqual(ids(older!.messages), ids(sent.slice(5, 15)))
      assert.equal(older!.hasMore, true)
      const oldest = await storage.listMessages('c', { before: sent[5]!.id, limit: 10 })
      assert.deepEqual(ids(oldest!.messages), ids(sent.slice(0, 5)))
      assert.equal(oldest!.hasMore, false)
      const newer = await storage.listMessages('c', { after: sent[19]!.id, limit: 3 })
      assert.deepEqual(ids(newer!.messages), ids(sent.slice(20, 23)))
      assert.equal(newer!.hasMore, true)
      const between = await storage.listMessages('c', {
        after: sent[2]!.id,
        before: sent[6]!.id,
        limit: 10,
      })
      assert.deepEqual(ids(between!.messages), ids(sent.slice(3, 6)))
      assert.equal(await storage.listMessages('c', { before: 'nope', limit: 5 }), null)
      assert.equal((await storage.getChat('c'))?.lastMessage?.id, sent[24]!.id)
    })

    test('clientId makes addMessage idempotent per author', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const dedupe = { authorId: v.id, clientId: 'x1' }
      const first = await storage.addMessage(message('c', v.id, 'once'), dedupe)
      const second = await storage.addMessage(message('c', v.id, 'once'), dedupe)
      assert.equal(first.created, true)
      assert.equal(second.created, false)
      assert.deepEqual(second.message, first.message)
      assert.deepEqual(await storage.findMessageByClientId(v.id, 'x1'), first.message)
      const other = await storage.addMessage(message('c', v.id, 'twice'), {
        authorId: 'someone-else',
        clientId: 'x1',
      })
      assert.equal(other.created, true)
      // The refused repeat took no place in the chat: no gap in seq.
      assert.equal(other.message.seq, (first.message.seq ?? 0) + 1)
      assert.equal((await storage.listMessages('c', { limit: 10 }))?.messages.length, 2)
    })

    test("an append's chat, where the storage gives one, is the chat as stored after it", async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const appends = [
        await storage.addMessage(message('c', v.id, 'q1'), { authorId: v.id, clientId: 'k1' }),
        await storage.addMessage({ ...message('c', v.id, 'q2'), isOffline: true }),
        await storage.addMessage(message('c', v.id, 'a1', 'agent')),
      ]
      // Each as after its own append, in a batch of three (SQLite's group commit) too.
      const batch = await Promise.all([
        storage.addMessage(message('c', v.id, 'q3')),
        storage.addMessage(message('c', v.id, 'a2', 'agent')),
      ])
      for (const appended of [...appends, ...batch]) {
        if (!appended.chat) continue
        assert.equal(appended.chat.lastMessage?.id, appended.message.id)
        assert.equal(appended.chat.updatedAt, appended.message.createdAt)
      }
      const last = batch[1]!.chat
      if (last) assert.deepEqual(last, await storage.getChat('c'))
      // A repeated clientId appends nothing.
      const again = await storage.addMessage(message('c', v.id, 'q1'), {
        authorId: v.id,
        clientId: 'k1',
      })
      assert.equal(again.created, false)
      assert.equal(again.chat, undefined)
    })

    test('read marks count unread per side', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      await storage.addMessage(message('c', v.id, 'q1'))
      await storage.addMessage(message('c', v.id, 'a1', 'agent'))
      await storage.addMessage(message('c', v.id, 'a2', 'agent'))
      let chat = (await storage.getChat('c'))!
      assert.equal(chat.unreadByVisitor, 2)
      assert.equal(chat.unreadByAgent, 1)
      const at = now()
      chat = await storage.markRead('c', 'visitor', at)
      assert.equal(chat.unreadByVisitor, 0)
      assert.equal(chat.visitorLastReadAt, at)
      assert.equal(chat.unreadByAgent, 1)
      await storage.addMessage(message('c', v.id, 'a3', 'agent'))
      assert.equal((await storage.getChat('c'))?.unreadByVisitor, 1)
      chat = await storage.markRead('c', 'agent', now())
      assert.equal(chat.unreadByAgent, 0)
    })

    test('ratings, assignment and listing', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const chat = await storage.updateChat(
        'c',
        { rating: { value: 4, text: 'ok' }, assignedIds: ['ag'], status: 'open' },
        now(),
      )
      assert.deepEqual(chat.rating, { value: 4, text: 'ok' })
      assert.deepEqual(chat.assignedIds, ['ag'])
      const open = await storage.listChats('acc', { statuses: ['open'], limit: 10 })
      assert.deepEqual(
        open.map((c) => c.id),
        ['c'],
      )
      assert.deepEqual(await storage.listChats('acc', { statuses: ['closed'], limit: 10 }), [])
      assert.deepEqual(await storage.listChats('other', { statuses: ['open'], limit: 10 }), [])
    })

    test('uploads move pending → uploaded → used exactly once', async () => {
      const v = await visitor()
      const token = newId()
      const expiresAt = new Date(Date.now() + 60_000).toISOString()
      await storage.createUpload({
        token,
        accountId: 'acc',
        visitorId: v.id,
        expiresAt,
        state: 'pending',
        file: null,
      })
      assert.equal(await storage.consumeUpload(token), null)
      const file = { id: newId(), name: 'a.png', type: 'image/png', size: 3, width: 1, height: 1 }
      assert.equal(await storage.attachFile(token, file), true)
      assert.equal(await storage.attachFile(token, file), false)
      assert.deepEqual(await storage.getFile(file.id), file)
      const used = await storage.consumeUpload(token)
      assert.equal(used?.state, 'used')
      assert.deepEqual(used?.file, file)
      assert.equal(await storage.consumeUpload(token), null)
    })

    test('transcript requests are recorded', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      await storage.addTranscriptRequest({
        id: 't',
        chatId: 'c',
        visitorId: v.id,
        email: 'a@b.co',
        lang: 'en',
        createdAt: now(),
      })
      assert.equal((await storage.listTranscriptRequests('c'))[0]?.email, 'a@b.co')
    })

    test('accounts: by id and key, listed in insertion order, updated in place', async () => {
      await storage.saveAccount({
        id: 'acc2',
        key: 'k2',
        name: 'Other',
        secret: 's2',
        allowedOrigins: [],
        createdAt: now(),
      })
      const first = (await storage.getAccount('acc'))!
      assert.deepEqual(first.allowedOrigins, ['localhost'])
      await storage.saveAccount({
        ...first,
        name: 'Shop 2',
        secret: 'new',
        allowedOrigins: ['shop.example', '*.shop.example'],
      })
      const updated = await storage.getAccount('acc')
      assert.deepEqual(updated, {
        ...first,
        name: 'Shop 2',
        secret: 'new',
        allowedOrigins: ['shop.example', '*.shop.example'],
      })
      assert.equal(await storage.getAccount('nope'), null)
      assert.deepEqual(
        (await storage.listAccounts()).map((a) => [a.id, a.name]),
        [
          ['acc', 'Shop 2'],
          ['acc2', 'Other'],
        ],
      )
    })

    test('agents: by id, per account or all, tokens kept', async () => {
      await storage.saveAccount({
        id: 'acc2',
        key: 'k2',
        name: 'Other',
        secret: 's2',
        allowedOrigins: [],
        createdAt: now(),
      })
      const agent = (id: string, accountId: string) => ({
        id,
        accountId,
        token: `tok-${id}`,
        nickname: id,
        fullname: `${id} Full`,
        description: 'd',
        avatar: 'http://x/a.svg',
        groups: [],
      })
      await storage.saveAgent(agent('a1', 'acc'))
      await storage.saveAgent(agent('a2', 'acc2'))
      await storage.saveAgent(agent('a3', 'acc'))
      assert.deepEqual(await storage.getAgent('a2'), agent('a2', 'acc2'))
      assert.equal(await storage.getAgent('nope'), null)
      assert.deepEqual(
        (await storage.listAgents()).map((a) => a.id),
        ['a1', 'a2', 'a3'],
      )
      assert.deepEqual(
        (await storage.listAgents('acc')).map((a) => a.token),
        ['tok-a1', 'tok-a3'],
      )
    })

    test('a visitor round-trips with every field; unknown ids are null', async () => {
      const v = await visitor()
      assert.deepEqual(await storage.getVisitor(v.id), v)
      assert.equal(await storage.getVisitor('nope'), null)
      const at = now()
      const updated = await storage.updateVisitor(
        v.id,
        { email: 'a@b.co', phone: '+1', lang: 'cs', group: 'g', visits: 3 },
        at,
      )
      assert.deepEqual(updated, {
        ...v,
        email: 'a@b.co',
        phone: '+1',
        lang: 'cs',
        group: 'g',
        visits: 3,
        updatedAt: at,
      })
      const cleared = await storage.updateVisitor(v.id, { name: null, authenticated: false }, at)
      assert.equal(cleared.name, null)
      assert.equal(cleared.authenticated, false)
    })

    test('the current page and the referrer are stored and changed', async () => {
      const v = await visitor()
      const at = now()
      const moved = await storage.updateVisitor(
        v.id,
        {
          pageUrl: 'https://shop.example/cart?x=1',
          pageTitle: 'Cart – Shop',
          pageAt: at,
          referer: 'https://search.example/?q=shop',
        },
        at,
      )
      assert.deepEqual(moved, {
        ...v,
        pageUrl: 'https://shop.example/cart?x=1',
        pageTitle: 'Cart – Shop',
        pageAt: at,
        referer: 'https://search.example/?q=shop',
        updatedAt: at,
      })
      const retitled = await storage.updateVisitor(v.id, { pageTitle: null }, at)
      assert.equal(retitled.pageTitle, null)
      assert.equal(retitled.pageUrl, 'https://shop.example/cart?x=1')
      assert.deepEqual(await storage.getVisitor(v.id), retitled)
    })

    test('two tabs opening a chat at once get one chat', async () => {
      const v = await visitor()
      const [a, b] = await Promise.all([
        storage.ensureOpenChat(v.id, 'c1', now()),
        storage.ensureOpenChat(v.id, 'c2', now()),
      ])
      assert.equal(a.chat.id, b.chat.id)
      assert.deepEqual([a.created, b.created].sort(), [false, true])
      assert.equal((await storage.getVisitor(v.id))?.chatId, a.chat.id)
    })

    test('a new chat is empty: no messages, nothing unread, no rating', async () => {
      const v = await visitor()
      const { chat } = await storage.ensureOpenChat(v.id, 'c', now())
      assert.equal(chat.accountId, 'acc')
      assert.equal(chat.visitorId, v.id)
      assert.deepEqual(chat.assignedIds, [])
      assert.equal(chat.rating, null)
      assert.equal(chat.lastMessage, null)
      assert.equal(chat.unreadByAgent, 0)
      assert.equal(chat.unreadByVisitor, 0)
      assert.equal(chat.visitorLastReadAt, null)
      assert.equal(chat.agentLastReadAt, null)
      assert.equal(chat.hasOfflineMessage, false)
      assert.deepEqual(await storage.listMessages('c', { limit: 10 }), {
        messages: [],
        hasMore: false,
      })
      assert.equal(await storage.getChat('nope'), null)
    })

    test('history: paging to both ends, cursors of another chat are unknown', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const sent: Message[] = []
      for (let i = 0; i < 6; i++)
        sent.push((await storage.addMessage(message('c', v.id, `m${i}`))).message)
      const ids = (list: Message[] | undefined) => (list ?? []).map((m) => m.id)
      const all = await storage.listMessages('c', { limit: 6 })
      assert.deepEqual(ids(all?.messages), ids(sent))
      assert.equal(all?.hasMore, false)
      const tail = await storage.listMessages('c', { after: sent[3]!.id, limit: 2 })
      assert.deepEqual(ids(tail?.messages), ids(sent.slice(4)))
      assert.equal(tail?.hasMore, false)
      const none = await storage.listMessages('c', { after: sent[5]!.id, limit: 5 })
      assert.deepEqual(none, { messages: [], hasMore: false })
      assert.equal(await storage.listMessages('c', { after: 'nope', limit: 5 }), null)
      const w = await visitor()
      await storage.ensureOpenChat(w.id, 'd', now())
      await storage.addMessage(message('d', w.id, 'other'))
      assert.equal(await storage.listMessages('d', { before: sent[2]!.id, limit: 5 }), null)
    })

    test('a message keeps its JSON body and its place when updated', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const form = createMessage({
        chatId: 'c',
        visitorId: v.id,
        subType: 'system',
        content: { type: 'rate_form', text: null, data: { value: null, text: null } },
      })
      const storedForm = (await storage.addMessage(form)).message
      const draft = createMessage({
        chatId: 'c',
        visitorId: v.id,
        subType: 'contact',
        content: textContent('ünïcödé ✓ "quotes" \\ \n new line'),
        attachments: [
          {
            type: 'image',
            fileName: 'a.png',
            fileType: 'image/png',
            url: 'http://x/f/a.png',
            expireAt: now(),
            size: 3,
            width: 1,
            height: null,
          },
        ],
      })
      const text = (await storage.addMessage(draft)).message
      assert.deepEqual({ ...text, seq: undefined }, { ...draft, seq: undefined })
      assert.deepEqual(await storage.getMessage(text.id), text)
      assert.equal(await storage.getMessage('nope'), null)
      const rated: Message = {
        ...storedForm,
        content: { ...form.content, data: { value: 5, text: 'x' } },
      }
      await storage.updateMessage(rated)
      assert.deepEqual(await storage.getMessage(form.id), rated)
      const page = await storage.listMessages('c', { limit: 10 })
      assert.deepEqual(page?.messages, [rated, text])
      assert.deepEqual((await storage.getChat('c'))?.lastMessage, text)
    })

    test('an offline visitor message flags the chat', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      await storage.addMessage(message('c', v.id, 'online'))
      assert.equal((await storage.getChat('c'))?.hasOfflineMessage, false)
      const offline = message('c', v.id, 'anyone?')
      offline.isOffline = true
      await storage.addMessage(offline)
      const chat = await storage.getChat('c')
      assert.equal(chat?.hasOfflineMessage, true)
      assert.equal(chat?.lastMessage?.isOffline, true)
      assert.equal(
        (await storage.listChats('acc', { statuses: ['pending'], limit: 5 }))[0]?.hasOfflineMessage,
        true,
      )
    })

    test('events do not count as unread; read marks survive new chats', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      await storage.addMessage(
        createEvent({
          chatId: 'c',
          visitorId: v.id,
          subType: 'system',
          agentId: 'ag',
          content: { type: 'agent_join', text: null, data: { agentId: 'ag' } },
        }),
      )
      await storage.addMessage(message('c', v.id, 'a1', 'agent'))
      const chat = await storage.getChat('c')
      assert.equal(chat?.unreadByVisitor, 1)
      assert.equal(chat?.unreadByAgent, 0)
      const at = now()
      await storage.markRead('c', 'agent', at)
      assert.equal((await storage.getChat('c'))?.agentLastReadAt, at)
      assert.equal((await storage.getChat('c'))?.visitorLastReadAt, null)
    })

    test('chats: most recently active first, by status, limited; a rating can be cleared', async () => {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const v = await visitor()
        const at = new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString()
        ids.push((await storage.ensureOpenChat(v.id, `c${i}`, at)).chat.id)
      }
      await storage.updateChat(
        'c0',
        { status: 'open' },
        new Date(Date.UTC(2024, 0, 2)).toISOString(),
      )
      const list = await storage.listChats('acc', { statuses: ['pending', 'open'], limit: 10 })
      assert.deepEqual(
        list.map((c) => c.id),
        ['c0', 'c2', 'c1'],
      )
      const limited = await storage.listChats('acc', { statuses: ['pending'], limit: 1 })
      assert.deepEqual(
        limited.map((c) => c.id),
        ['c2'],
      )
      assert.deepEqual(await storage.listChats('acc', { statuses: [], limit: 10 }), [])
      await storage.updateChat('c1', { rating: { value: 1, text: null } }, now())
      const cleared = await storage.updateChat('c1', { rating: null }, now())
      assert.equal(cleared.rating, null)
      const rated = await storage.updateChat('c2', { rating: { value: 5, text: null } }, now())
      assert.deepEqual(rated.rating, { value: 5, text: null })
    })

    test("an agent's upload is bound to the agent and the chat; unknown tokens fail", async () => {
      const v = await visitor()
      const token = newId()
      const upload = {
        token,
        accountId: 'acc',
        visitorId: v.id,
        agentId: 'ag',
        chatId: 'c',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        state: 'pending' as const,
        file: null,
      }
      await storage.createUpload(upload)
      assert.deepEqual(await storage.getUpload(token), upload)
      const file = {
        id: newId(),
        name: 'photo.jpg',
        type: 'image/jpeg',
        size: 12345,
        width: 800,
        height: 600,
        thumb: { width: 400, height: 300, type: 'image/webp' },
      }
      assert.equal(await storage.attachFile(token, file), true)
      assert.deepEqual(await storage.getUpload(token), { ...upload, state: 'uploaded', file })
      assert.deepEqual(await storage.getFile(file.id), file)
      assert.equal(await storage.getUpload('nope'), null)
      assert.equal(await storage.attachFile('nope', file), false)
      assert.equal(await storage.consumeUpload('nope'), null)
      assert.equal(await storage.getFile('nope'), null)
      const [a, b] = await Promise.all([storage.consumeUpload(token), storage.consumeUpload(token)])
      assert.equal([a, b].filter(Boolean).length, 1, 'used exactly once')
    })

    test('transcript requests are listed per chat in order', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      for (const id of ['t1', 't2', 't3'])
        await storage.addTranscriptRequest({
          id,
          chatId: 'c',
          visitorId: v.id,
          email: `${id}@b.co`,
          lang: 'en',
          createdAt: now(),
        })
      const list = await storage.listTranscriptRequests('c')
      assert.deepEqual(
        list.map((t) => t.id),
        ['t1', 't2', 't3'],
      )
      assert.equal(list[1]?.visitorId, v.id)
      assert.deepEqual(await storage.listTranscriptRequests('other'), [])
    })

    test('deleting a chat takes its messages, transcripts and files; the visitor starts anew', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'old', now())
      await storage.updateChat('old', { status: 'closed' }, now())
      await storage.ensureOpenChat(v.id, 'c', now())
      const expiresAt = new Date(Date.now() + 60_000).toISOString()
      /** A file uploaded (and `used` in a message, or not yet); `bound`: an agent's, into 'c'. */
      const upload = async (state: 'uploaded' | 'used', bound = false) => {
        const token = newId()
        await storage.createUpload({
          token,
          accountId: 'acc',
          visitorId: v.id,
          ...(bound && { agentId: 'ag', chatId: 'c' }),
          expiresAt,
          state: 'pending',
          file: null,
        })
        const file = { id: newId(), name: 'a.png', type: 'image/png', size: 3, width: 1, height: 1 }
        await storage.attachFile(token, file)
        if (state === 'used') await storage.consumeUpload(token)
        return { token, file }
      }
      const shown = await upload('used')
      const shownInOld = await upload('used')
      const agentsInC = await upload('uploaded', true)
      const notSentYet = await upload('uploaded')
      const withFile = (chatId: string, file: StoredFile) => {
        const attachment = attachmentOf(file, 'https://chat.example')
        const content = uploadContent(attachment)
        return createMessage({
          chatId,
          visitorId: v.id,
          subType: 'contact',
          content,
          attachments: [attachment],
        })
      }
      const kept = (await storage.addMessage(withFile('old', shownInOld.file))).message
      const gone = [
        (await storage.addMessage(message('c', v.id, 'hello'))).message,
        (await storage.addMessage(withFile('c', shown.file))).message,
      ]
      await storage.addTranscriptRequest({
        id: 't',
        chatId: 'c',
        visitorId: v.id,
        email: 'a@b.co',
        lang: 'en',
        createdAt: now(),
      })

      const deleted = await storage.deleteChat('c')
      assert.deepEqual(deleted?.fileIds.sort(), [shown.file.id, agentsInC.file.id].sort())
      assert.equal(await storage.getChat('c'), null)
      for (const m of gone) assert.equal(await storage.getMessage(m.id), null)
      assert.deepEqual(await storage.listMessages('c', { limit: 10 }), {
        messages: [],
        hasMore: false,
      })
      assert.equal(await storage.getUpload(shown.token), null)
      assert.equal(await storage.getFile(shown.file.id), null)
      assert.equal(await storage.getUpload(agentsInC.token), null)
      assert.deepEqual(await storage.listTranscriptRequests('c'), [])
      assert.equal((await storage.getVisitor(v.id))?.chatId, null)
      assert.deepEqual(
        (
          await storage.listChats('acc', { statuses: ['pending', 'open', 'closed'], limit: 10 })
        ).map((c) => c.id),
        ['old'],
      )
      // The visitor's other chat and their upload not sent yet stay.
      assert.deepEqual(await storage.getMessage(kept.id), kept)
      assert.deepEqual(await storage.getFile(shownInOld.file.id), shownInOld.file)
      assert.equal((await storage.getUpload(notSentYet.token))?.state, 'uploaded')

      assert.equal(await storage.deleteChat('c'), null)
      assert.equal(await storage.deleteChat('nope'), null)
      const next = await storage.ensureOpenChat(v.id, 'c2', now())
      assert.equal(next.created, true)
      assert.equal((await storage.getVisitor(v.id))?.chatId, 'c2')
    })

    test('one clientId sent twice at once is stored once', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const dedupe = { authorId: v.id, clientId: 'same' }
      const results = await Promise.all(
        [1, 2, 3].map(() => storage.addMessage(message('c', v.id, 'once'), dedupe)),
      )
      assert.equal(results.filter((r) => r.created).length, 1)
      assert.equal(new Set(results.map((r) => r.message.id)).size, 1)
      assert.equal((await storage.listMessages('c', { limit: 10 }))?.messages.length, 1)
    })

    test('appends sent at once: each chat keeps its order, a bad one fails alone', async () => {
      // SQLite commits the appends of one event-loop turn together (group commit).
      const [v, w] = [await visitor(), await visitor()]
      await storage.ensureOpenChat(v.id, 'c', now())
      await storage.ensureOpenChat(w.id, 'd', now())
      const writes = Array.from({ length: 30 }, (_, i) =>
        storage.addMessage(message(i % 2 ? 'c' : 'd', i % 2 ? v.id : w.id, `m${i}`), {
          authorId: i % 2 ? v.id : w.id,
          clientId: `cid-${i % 10}`,
        }),
      )
      const missing = storage.addMessage(message('no-such-chat', v.id, 'lost'))
      const settled = await Promise.allSettled([...writes, missing])
      assert.equal(settled.at(-1)?.status, 'rejected')
      const results = await Promise.all(writes)
      // Five clientIds per author: one send of each is stored, the repeats answer with it.
      assert.equal(results.filter((r) => r.created).length, 10)
      for (const [i, r] of results.entries())
        assert.equal(r.message.id, results[i % 10]!.message.id)
      for (const chatId of ['c', 'd']) {
        const page = await storage.listMessages(chatId, { limit: 100 })
        assert.deepEqual(
          page?.messages.map((m) => m.seq),
          [1, 2, 3, 4, 5],
        )
        assert.equal((await storage.getChat(chatId))?.lastMessage?.id, page?.messages[4]?.id)
      }
    })

    test('an append failing after its first write, amid a batch, leaves no trace', async () => {
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const first = message('c', v.id, 'first')
      // The same id again: its chat row moves before its insert fails on the id.
      const [a, again, b] = await Promise.allSettled([
        storage.addMessage(first),
        storage.addMessage({ ...message('c', v.id, 'again'), id: first.id }),
        storage.addMessage(message('c', v.id, 'last')),
      ])
      assert.equal(a.status, 'fulfilled')
      assert.equal(again.status, 'rejected')
      assert.equal(b.status, 'fulfilled')
      const page = await storage.listMessages('c', { limit: 10 })
      assert.deepEqual(
        page?.messages.map((m) => [m.content.text, m.seq]),
        [
          ['first', 1],
          ['last', 2],
        ],
      )
      const chat = await storage.getChat('c')
      assert.deepEqual(chat?.lastMessage, page?.messages[1])
      assert.deepEqual(page?.messages[1], b.status === 'fulfilled' && b.value.message)
      assert.equal(chat?.unreadByAgent, 2)
    })

    test('two nodes appending 2×200 messages to one chat keep one order', async (t) => {
      const other = await secondNode(t)
      if (!other) return
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const writes: Promise<{ message: Message; created: boolean }>[] = []
      const sent = new Set<string>()
      for (let i = 0; i < 200; i++) {
        for (const node of [storage, other]) {
          const m = message('c', v.id, `m${i}`)
          sent.add(m.id)
          writes.push(node.addMessage(m))
        }
      }
      const results = await Promise.all(writes)
      assert.ok(results.every((r) => r.created))
      const mine = await storage.listMessages('c', { limit: 1000 })
      const theirs = await other.listMessages('c', { limit: 1000 })
      assert.equal(mine?.messages.length, 400)
      assert.deepEqual(
        mine?.messages.map((m) => m.id),
        theirs?.messages.map((m) => m.id),
      )
      assert.deepEqual(new Set(mine?.messages.map((m) => m.id)), sent)
      if (options.seqs)
        assert.deepEqual(
          await options.seqs('c'),
          Array.from({ length: 400 }, (_, i) => i + 1),
        )
      // Paging by cursor walks the same order.
      const paged: string[] = []
      let before: string | undefined
      for (;;) {
        const page = await other.listMessages('c', { limit: 64, ...(before && { before }) })
        paged.unshift(...page!.messages.map((m) => m.id))
        if (!page!.hasMore) break
        before = page!.messages[0]!.id
      }
      assert.deepEqual(
        paged,
        mine?.messages.map((m) => m.id),
      )
      assert.equal((await other.getChat('c'))?.unreadByAgent, 400)
    })

    test('the same clientId from two nodes at once is one row, with no gap in seq', async (t) => {
      const other = await secondNode(t)
      if (!other) return
      const v = await visitor()
      await storage.ensureOpenChat(v.id, 'c', now())
      const rounds = 25
      const writes = []
      for (let i = 0; i < rounds; i++) {
        const dedupe = { authorId: v.id, clientId: `cid-${i}` }
        writes.push(
          storage.addMessage(message('c', v.id, `m${i}`), dedupe),
          other.addMessage(message('c', v.id, `m${i}`), dedupe),
        )
      }
      const results = await Promise.all(writes)
      for (let i = 0; i < rounds; i++) {
        const [a, b] = [results[2 * i]!, results[2 * i + 1]!]
        assert.equal(a.message.id, b.message.id, `cid-${i}: one message`)
        assert.equal(Number(a.created) + Number(b.created), 1, `cid-${i}: created once`)
      }
      const page = await other.listMessages('c', { limit: 100 })
      assert.equal(page?.messages.length, rounds)
      if (options.seqs)
        assert.deepEqual(
          await options.seqs('c'),
          Array.from({ length: rounds }, (_, i) => i + 1),
        )
    })
  })
}

/** A visitor record with nothing known of them yet. */
export function newVisitor(id: string, accountId: string, at: string): VisitorRecord {
  return {
    id,
    accountId,
    chatId: null,
    name: null,
    email: null,
    phone: null,
    lang: null,
    group: null,
    bannedAt: null,
    visits: 1,
    variables: {},
    authenticated: false,
    pageUrl: null,
    pageTitle: null,
    pageAt: null,
    referer: null,
    createdAt: at,
    updatedAt: at,
  }
}

/** Account `a` with visitor `v`, as some tests start; returns the time they were made at. */
export async function accountWithVisitor(storage: Storage): Promise<string> {
  const at = new Date().toISOString()
  await storage.saveAccount({
    id: 'a',
    key: 'k',
    name: 'N',
    secret: 's',
    allowedOrigins: [],
    createdAt: at,
  })
  await storage.createVisitor(newVisitor('v', 'a', at))
  return at
}

/**
 * A chat whose list row has something to count, for the migrations that moved the counters onto
 * the chat row: chat `c` of visitor `v` (account `a`) with q1, a1, the agent's read mark, q2 sent
 * offline and a2. Answers the chat as the storage reads it then.
 */
export async function seedCountedChat(storage: Storage): Promise<ChatRecord | null> {
  const at = await accountWithVisitor(storage)
  await storage.ensureOpenChat('v', 'c', at)
  const add = (text: string, subType: 'contact' | 'agent', isOffline = false) => {
    const message = createMessage({
      chatId: 'c',
      visitorId: 'v',
      subType,
      content: textContent(text),
    })
    if (isOffline) message.isOffline = true
    return storage.addMessage(message)
  }
  await add('q1', 'contact')
  await add('a1', 'agent')
  await storage.markRead('c', 'agent', at)
  await add('q2', 'contact', true)
  await add('a2', 'agent')
  return storage.getChat('c')
}

/** What `seedCountedChat` must read back, before and after such a migration. */
export function assertCounted(chat: ChatRecord | null): void {
  assert.equal(chat?.unreadByAgent, 1)
  assert.equal(chat?.unreadByVisitor, 2)
  assert.equal(chat?.lastMessage?.content.text, 'a2')
  assert.equal(chat?.hasOfflineMessage, true)
}
