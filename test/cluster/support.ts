/**
 * Real nodes for the cluster tests: `server/main.ts` child processes sharing one
 * PostgreSQL schema, one Redis (a per-run key prefix) and one uploads folder; a
 * throwaway `redis-server` to restart; and a tiny TCP balancer that sends each
 * connection to the first node that accepts it (WebSocket and HTTP alike).
 *
 * Without PostgreSQL or Redis the suites skip with the reason; with `CI=true` they fail.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'redis'
import { type ServerProcess, startServerProcess } from '../support/child-server.ts'
import { createTestSchema, requirePostgres, type TestSchema } from '../support/postgres.ts'

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
/** Fixed, so every node seeds the same demo agent. */
export const AGENT_TOKEN = 'cluster-test-agent-token'
/** Short, so a dead node's agents go offline within ~3 s. */
export const NODE_TTL_SECONDS = 2

/** Whether `url` answers PING within a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return true
  } catch {
    return false
  } finally {
    await client.close().catch(() => {})
  }
}

export type Services = { skip: string } | { skip: false; databaseUrl: string }

/** PostgreSQL and Redis, or why the suite skips (a failure in CI). */
export async function requireServices(): Promise<Services> {
  const db = await requirePostgres()
  if (db.url === null) return { skip: db.skip }
  if (!(await redisAnswers(REDIS_URL))) {
    const reason = `Redis does not answer at ${REDIS_URL}`
    if (process.env.CI === 'true') throw new Error(`Redis is required in CI: ${reason}`)
    return { skip: `cluster tests skipped: ${reason}` }
  }
  return { skip: false, databaseUrl: db.url }
}

export interface Cluster {
  schema: TestSchema
  /** `REDIS_PREFIX` of this run. */
  prefix: string
  uploadsDir: string
  start(name: string, env?: Record<string, string>): Promise<Node>
  close(): Promise<void>
}

/** A node: `server/main.ts` as a process of its own (test/support/child-server.ts). */
export interface Node extends ServerProcess {
  name: string
}

/** A fresh schema, prefix and uploads folder; nodes started with `start` share them. */
export async function createCluster(databaseUrl: string, redisUrl = REDIS_URL): Promise<Cluster> {
  const schema = await createTestSchema(databaseUrl)
  const prefix = `test-${randomBytes(4).toString('hex')}:`
  const root = mkdtempSync(join(tmpdir(), 'chat-cluster-'))
  const uploadsDir = join(root, 'uploads')
  const nodes: Node[] = []
  return {
    schema,
    prefix,
    uploadsDir,
    async start(name, env = {}) {
      const node = await startNode(name, {
        DATABASE_URL: schema.url,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        UPLOADS_DIR: uploadsDir,
        DATA_DIR: join(root, name),
        NODE_ID: name,
        NODE_TTL_SECONDS: String(NODE_TTL_SECONDS),
        DEMO_AGENT_TOKEN: AGENT_TOKEN,
        ...env,
      })
      nodes.push(node)
      return node
    },
    async close() {
      await Promise.all(nodes.map((node) => node.kill()))
      await schema.drop().catch(() => {})
      const redis = createClient({ url: redisUrl })
      redis.on('error', () => {})
      try {
        await redis.connect()
        const keys = await redis.keys(`${prefix}*`)
        if (keys.length) await redis.del(keys)
      } catch {
        // A throwaway Redis may be gone already.
      } finally {
        await redis.close().catch(() => {})
      }
      rmSync(root, { recursive: true, force: true })
    },
  }
}

async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const node = await startServerProcess({
    LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL ?? 'warn',
    STATIC_DIR: join(tmpdir(), 'chat-cluster-no-site'),
    ...env,
  }).catch((error: Error) => {
    throw new Error(`${name}: ${error.message}`)
  })
  return { name, ...node }
}

/** A TCP balancer on 127.0.0.1: each connection goes to the first target that accepts it. */
export async function startBalancer(
  targets: () => string[],
): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    open.add(client)
    client.once('close', () => open.delete(client))
    client.pause()
    const tryTarget = (i: number) => {
      const target = targets()[i]
      if (!target) return void client.destroy()
      const { hostname, port } = new URL(target)
      const upstream = connect(Number(port), hostname)
      let connected = false
      upstream.on('error', () => {
        if (!connected) tryTarget(i + 1)
        else client.destroy()
      })
      upstream.once('connect', () => {
        connected = true
        open.add(upstream)
        upstream.once('close', () => {
          open.delete(upstream)
          client.destroy()
        })
        client.once('close', () => upstream.destroy())
        client.on('error', () => upstream.destroy())
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    tryTarget(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A `redis-server` of our own, without persistence, that a test may kill and restart. */
export async function startRedis(): Promise<{
  url: string
  kill(): Promise<void>
  restart(): Promise<void>
}> {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    const deadline = Date.now() + 5000
    while (!(await redisAnswers(url))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  await launch()
  return { url, kill, restart: launch }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Polls `check` every 50 ms until it returns true; fails after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<number> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return Date.now() - started
}
