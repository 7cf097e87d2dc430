/**
 * The demo account every fresh server has: key `demo`, one agent. Its secret and the
 * agent token are generated once and kept, so a restart does not log the console out;
 * `DEMO_AGENT_TOKEN` pins the token instead, `DEMO_ALLOWED_ORIGINS` its origins.
 * `seedAccount` adds more accounts (tests, embedders).
 */
import { DEFAULT_DEMO_ORIGINS } from './config.ts'
import { newId, newSecret } from './ids.ts'
import type { AccountRecord, AgentRecord, Storage } from './storage/types.ts'

export const DEMO_KEY = 'demo'
const DEMO_ACCOUNT_ID = 'acc-demo'
const DEMO_AGENT_ID = 'agent-alex'

/** The demo agent's picture, served at `DEMO_AVATAR_PATH` (widgets load avatars over http(s) only). */
export const AVATAR_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="32" fill="#4f46e5"/><text x="32" y="41" font-family="sans-serif" font-size="26" font-weight="600" fill="#fff" text-anchor="middle">A</text></svg>`
export const DEMO_AVATAR = `data:image/svg+xml;base64,${Buffer.from(AVATAR_SVG).toString('base64')}`
export const DEMO_AVATAR_PATH = '/avatars/demo.svg'

export async function seedDemo(
  storage: Storage,
  options: { agentToken: string | null; allowedOrigins?: string[] },
): Promise<{ account: AccountRecord; agent: AgentRecord }> {
  const existing = await storage.getAccount(DEMO_ACCOUNT_ID)
  const account: AccountRecord = {
    id: DEMO_ACCOUNT_ID,
    key: DEMO_KEY,
    name: 'Demo Shop',
    secret: existing?.secret ?? newSecret(),
    // Any port of these hosts (server/origins.ts).
    allowedOrigins: options.allowedOrigins ?? DEFAULT_DEMO_ORIGINS,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  }
  await storage.saveAccount(account)
  const previous = await storage.getAgent(DEMO_AGENT_ID)
  const agent: AgentRecord = {
    id: DEMO_AGENT_ID,
    accountId: DEMO_ACCOUNT_ID,
    token: options.agentToken ?? previous?.token ?? newSecret(),
    nickname: 'Alex',
    fullname: 'Alex Agent',
    description: 'Happy to help',
    avatar: DEMO_AVATAR,
    groups: [],
  }
  await storage.saveAgent(agent)
  return { account, agent }
}

/** Creates (or updates by key) an account with one agent; returns both, secrets included. */
export async function seedAccount(
  storage: Storage,
  options: { key: string; name?: string; allowedOrigins?: string[]; agentNickname?: string },
): Promise<{ account: AccountRecord; agent: AgentRecord }> {
  const existing = await storage.getAccountByKey(options.key)
  const account: AccountRecord = {
    id: existing?.id ?? `acc-${newId()}`,
    key: options.key,
    name: options.name ?? existing?.name ?? options.key,
    secret: existing?.secret ?? newSecret(),
    allowedOrigins: options.allowedOrigins ?? existing?.allowedOrigins ?? [],
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  }
  await storage.saveAccount(account)
  const nickname = options.agentNickname ?? 'Agent'
  const agent: AgentRecord = {
    id: `agent-${newId()}`,
    accountId: account.id,
    token: newSecret(),
    nickname,
    fullname: nickname,
    description: '',
    avatar: DEMO_AVATAR,
    groups: [],
  }
  await storage.saveAgent(agent)
  return { account, agent }
}
