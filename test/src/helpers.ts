/** Shared bits of the SDK's integration tests (against the real server of test/support). */
import { io, type Socket } from 'socket.io-client'
import {
  createVisitorClient,
  type VisitorClient,
  type VisitorClientEvents,
  type VisitorClientOptions,
} from '../../src/index.ts'
import {
  AGENT_NAMESPACE,
  type AgentConnectedData,
  type AgentEvents,
  type AgentRequests,
} from '../../src/protocol.ts'

/** Fast reconnects for tests; the defaults are seconds. */
export const FAST_RECONNECT = {
  reconnectionDelay: 50,
  reconnectionDelayMax: 200,
  randomizationFactor: 0.2,
} as const

const clients = new Set<{ disconnect(): unknown }>()

/** A visitor client for the test server; closed by `closeAll()`. */
export function visitor(
  url: string,
  data: Partial<VisitorClientOptions['data']> & { key?: string } = {},
  extra: Omit<VisitorClientOptions, 'data'> = {},
): VisitorClient {
  const client = createVisitorClient({
    requestTimeout: 5000,
    ...extra,
    data: { key: 'demo', ...data },
    connection: {
      url,
      ...extra.connection,
      options: { ...FAST_RECONNECT, ...extra.connection?.options },
    },
  })
  clients.add(client)
  return client
}

/** The next occurrence of a client event, as the tuple of its arguments. */
export function next<K extends keyof VisitorClientEvents>(
  client: VisitorClient,
  event: K,
  filter: (...args: VisitorClientEvents[K]) => boolean = () => true,
  ms = 5000,
): Promise<VisitorClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no ${String(event)} within ${ms} ms`))
    }, ms)
    const off = client.on(event, (...args) => {
      if (!filter(...args)) return
      clearTimeout(timer)
      off()
      resolve(args)
    })
  })
}

/** Polls until `check` is true (no fixed sleeps). */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A raw agent socket speaking the agent protocol of src/protocol.ts. */
export class TestAgent {
  readonly socket: Socket
  data: AgentConnectedData | null = null

  constructor(url: string, token: string) {
    this.socket = io(`${url}${AGENT_NAMESPACE}`, {
      path: '/socket',
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    })
    clients.add({ disconnect: () => this.socket.disconnect() })
  }

  async connect(): Promise<AgentConnectedData> {
    if (!this.socket.connected) {
      await new Promise<void>((resolve, reject) => {
        this.socket.once('connect', () => resolve())
        this.socket.once('connect_error', reject)
      })
    }
    this.data = await this.request('agent.connect', null)
    return this.data
  }

  request<E extends keyof AgentRequests>(
    event: E,
    data: AgentRequests[E][0],
  ): Promise<AgentRequests[E][1]> {
    return new Promise((resolve, reject) => {
      this.socket
        .timeout(5000)
        .emit(
          event,
          data,
          (timeout: Error | null, error: { message: string } | null, result: never) => {
            if (timeout) reject(timeout)
            else if (error) reject(Object.assign(new Error(error.message), error))
            else resolve(result)
          },
        )
    })
  }

  next<E extends keyof AgentEvents>(
    event: E,
    filter: (data: AgentEvents[E]) => boolean = () => true,
    ms = 5000,
  ): Promise<AgentEvents[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off(event as string, handler)
        reject(new Error(`agent: no ${event} within ${ms} ms`))
      }, ms)
      const handler = (data: AgentEvents[E]) => {
        if (!filter(data)) return
        clearTimeout(timer)
        this.socket.off(event as string, handler)
        resolve(data)
      }
      this.socket.on(event as string, handler)
    })
  }
}

/** Disconnects every client and agent the helpers made. */
export async function closeAll(): Promise<void> {
  for (const client of clients) await client.disconnect()
  clients.clear()
}
