import type { AccountStatus, ConnectedData, Group, Visitor, VisitorEvents } from '../protocol.ts'
import type { SocketError } from './socket-error.ts'

/**
 * Where the client is with its connection, like socket.io-client's `readyState`:
 * - `idle`: created, `connect()` not called yet
 * - `connecting`: opening the socket or waiting for the first `visitor.connect` answer
 * - `initialized`: the handshake succeeded; sends go out at once
 * - `reconnecting`: the connection was lost; retrying with backoff, sends are buffered
 * - `disconnected`: closed by `disconnect()` or by a refused handshake
 */
export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'initialized'
  | 'reconnecting'
  | 'disconnected'

/** Every event of a `VisitorClient`: name → the arguments its listeners get. */
export interface VisitorClientEvents {
  /** After the first connect and after every reconnect, with the latest data: rebuild the view. */
  initialized: [data: ConnectedData]
  /** The socket connected (the handshake follows). */
  connect: []
  /** The socket disconnected; a reconnect follows unless `disconnect()` was called. */
  disconnect: [reason: string]
  /** `server.error` from the server, or a failed handshake. */
  error: [error: SocketError]
  /** The connection state changed (show "reconnecting…" on `reconnecting`). */
  'connection.state_changed': [state: ConnectionState, previous: ConnectionState]

  'account.status_updated': [status: AccountStatus]
  'account.updated': [data: VisitorEvents['account.updated']]
  /** Already merged into `getAgents()`. */
  'agent.updated': [data: VisitorEvents['agent.updated']]
  /** Already dropped from `getAgents()`. */
  'agent.removed': [data: VisitorEvents['agent.removed']]
  /** A group's status changed because its agents' did. */
  'group.updated': [group: Group]
  /** The changes, already merged into `getVisitorIdentity()`. */
  'visitor.updated': [changes: Partial<Visitor>]

  /** May repeat a message you already have: dedupe by `message.id`. */
  'chat.message_received': [data: VisitorEvents['chat.message_received']]
  'chat.agent_typing': [data: VisitorEvents['chat.agent_typing']]
  'chat.contact_read': [data: VisitorEvents['chat.contact_read']]
  'chat.agent_read': [data: VisitorEvents['chat.agent_read']]
  'chat.agent_joined': [data: VisitorEvents['chat.agent_joined']]
  'chat.agent_left': [data: VisitorEvents['chat.agent_left']]
  'chat.agent_assigned': [data: VisitorEvents['chat.agent_assigned']]
  'chat.agent_unassigned': [data: VisitorEvents['chat.agent_unassigned']]
  'chat.closed': [data: VisitorEvents['chat.closed']]
  'chat.rated': [data: VisitorEvents['chat.rated']]
  'chat.deleted': [data: VisitorEvents['chat.deleted']]
}

/** Server events the client passes on unchanged. */
export const PASS_THROUGH_EVENTS = [
  'chat.message_received',
  'chat.agent_typing',
  'chat.contact_read',
  'chat.agent_read',
  'chat.closed',
  'chat.rated',
  'chat.deleted',
] as const satisfies readonly (keyof VisitorEvents & keyof VisitorClientEvents)[]
