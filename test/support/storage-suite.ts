/**
 * The Storage contract as a reusable suite: `storageSuite(name, factory)` registers the
 * cases for any implementation (SQLite now, PostgreSQL later). Each case gets a fresh,
 * empty storage from the factory and closes it afterwards.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { newId } from '../../server/ids.ts'
import { createMessage, textContent } from '../../server/messages.ts'
import type { Storage, VisitorRecord } from '../../server/storage/types.ts'
import type { Message } from '../../src/protocol.ts'

export function storageSuite(name: string, create: () => Promise<Storage>): void {
  describe(name, () => {
    let storage: Storage
    const now = () => new Date().toISOString()

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
    afterEach(() => storage.close())

    async function visitor(): Promise<VisitorRecord> {
      const v: VisitorRecord = {
        id: newId(),
        accountId: 'acc',
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
        createdAt: now(),
        updatedAt: now(),
      }
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
      assert.equal((await storage.listMessages('c', { limit: 10 }))?.messages.length, 2)
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
  })
}
