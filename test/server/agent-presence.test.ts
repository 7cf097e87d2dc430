/**
 * Agent presence across dropped connections: an agent whose console reloads (or whose network
 * blips) and comes back within the grace never looks offline to visitors; one who does not come
 * back goes offline once it has passed; signing out is offline at once.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Socket } from 'socket.io-client'
import {
  connectAgent,
  connectVisitor,
  nextEvent,
  noEvent,
  request,
  sleep,
  useTestServer,
} from '../support/server.ts'

const GRACE_MS = 400
const server = useTestServer({ agentReconnectGraceMs: GRACE_MS })

/** How a reload or a network drop ends a socket: its transport closes, with no goodbye. */
const drop = (socket: Socket) => socket.io.engine.close()

/** A visitor watching the account, and the demo agent online. */
async function agentOnline() {
  const { socket: visitor } = await connectVisitor(server.url)
  const agent = await connectAgent(server.url, server.agentToken)
  const online = nextEvent(visitor, 'account.updated', ({ status }) => status === 'online')
  await request(agent.socket, 'agent.status', { status: 'online' })
  await online
  return { visitor, agent: agent.socket }
}

const offline = (visitor: Socket, timeoutMs: number) =>
  nextEvent<{ status: string }>(
    visitor,
    'account.updated',
    ({ status }) => status === 'offline',
    timeoutMs,
  )

test('an agent back within the grace (a console reload) never looks offline to visitors', async () => {
  const { visitor, agent } = await agentOnline()
  const quiet = noEvent(visitor, 'account.updated', GRACE_MS + 300)
  drop(agent)
  await sleep(100)
  const reloaded = await connectAgent(server.url, server.agentToken)
  assert.equal(reloaded.data.agent.status, 'online')
  await quiet
  const newcomer = await connectVisitor(server.url)
  assert.equal(newcomer.data.account.status, 'online')
})

test('an agent who does not come back goes offline once the grace has passed', async () => {
  const { visitor, agent } = await agentOnline()
  const started = Date.now()
  drop(agent)
  await offline(visitor, GRACE_MS + 2000)
  assert.ok(Date.now() - started >= GRACE_MS - 20, `offline after ${Date.now() - started} ms`)
  const newcomer = await connectVisitor(server.url)
  assert.equal(newcomer.data.account.status, 'offline')
})

test('signing out (the socket closed on purpose) is offline at once', async () => {
  const { visitor, agent } = await agentOnline()
  const started = Date.now()
  agent.close()
  await offline(visitor, GRACE_MS - 100)
  assert.ok(Date.now() - started < GRACE_MS)
})
