/**
 * Agent presence, in memory on purpose: after a restart nobody is connected, so every
 * agent starts offline. An agent is online only while it said so and has a socket.
 */
import type { AccountStatus, AgentStatus } from '../src/protocol.ts'

export class Presence {
  private readonly status = new Map<string, AgentStatus>()
  private readonly sockets = new Map<string, number>()

  statusOf(agentId: string): AgentStatus {
    return this.status.get(agentId) ?? 'offline'
  }

  /** The account is online when at least one of its agents is. */
  accountStatus(agentIds: string[]): AccountStatus {
    return agentIds.some((id) => this.statusOf(id) === 'online') ? 'online' : 'offline'
  }

  socketConnected(agentId: string): void {
    this.sockets.set(agentId, (this.sockets.get(agentId) ?? 0) + 1)
  }

  /** Returns true when that was the agent's last socket. */
  socketDisconnected(agentId: string): boolean {
    const left = (this.sockets.get(agentId) ?? 1) - 1
    if (left > 0) {
      this.sockets.set(agentId, left)
      return false
    }
    this.sockets.delete(agentId)
    return true
  }

  /** Returns true when the status changed. */
  setStatus(agentId: string, status: AgentStatus): boolean {
    if (this.statusOf(agentId) === status) return false
    this.status.set(agentId, status)
    return true
  }
}
