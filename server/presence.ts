/**
 * Agent presence: an agent is online while it said so and has a socket. One node keeps
 * it in memory (`MemoryPresence`): after a restart nobody is connected, so every agent
 * starts offline. Several nodes share it through Redis (`server/cluster/presence.ts`),
 * behind the same interface, so the gateways and `ChatService` do not know which runs.
 */
import type { AccountStatus, AgentStatus } from '../src/protocol.ts'

export interface Presence {
  /** The status the agent chose, or `offline`; answered from this node's view, never waits. */
  statusOf(agentId: string): AgentStatus
  /** The account is online when at least one of its agents is. */
  accountStatus(agentIds: string[]): AccountStatus
  socketConnected(agentId: string): void
  /**
   * Returns true when that was the agent's last socket and the caller should set it
   * offline. A shared presence may decide that later (it has to ask the other nodes): it
   * then returns false and calls its `onLastSocket` hook instead.
   */
  socketDisconnected(agentId: string): boolean
  /** Returns true when the status changed (the caller then tells everybody). */
  setStatus(agentId: string, status: AgentStatus): boolean
  /**
   * The node is closing on purpose (a drain, a deploy) and its agents' consoles will reconnect
   * to another node. A shared presence keeps their sockets counted for `graceMs`, so they never
   * look offline meanwhile; then the other nodes count out whoever has not come back, as for a
   * node that died. Called before the sockets close; disconnects after it are not counted here.
   * One node alone has nobody to hand over to: it counts them out as they close.
   */
  handOver(graceMs: number): Promise<void>
  /** Stops timers and connections of a shared presence. */
  close(): Promise<void>
}

export class MemoryPresence implements Presence {
  private readonly status = new Map<string, AgentStatus>()
  private readonly sockets = new Map<string, number>()

  statusOf(agentId: string): AgentStatus {
    return this.status.get(agentId) ?? 'offline'
  }

  accountStatus(agentIds: string[]): AccountStatus {
    return agentIds.some((id) => this.statusOf(id) === 'online') ? 'online' : 'offline'
  }

  socketConnected(agentId: string): void {
    this.sockets.set(agentId, (this.sockets.get(agentId) ?? 0) + 1)
  }

  socketDisconnected(agentId: string): boolean {
    const left = (this.sockets.get(agentId) ?? 1) - 1
    if (left > 0) {
      this.sockets.set(agentId, left)
      return false
    }
    this.sockets.delete(agentId)
    return true
  }

  setStatus(agentId: string, status: AgentStatus): boolean {
    if (this.statusOf(agentId) === status) return false
    this.status.set(agentId, status)
    return true
  }

  async handOver(): Promise<void> {}

  async close(): Promise<void> {}
}
