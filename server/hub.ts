/**
 * Who hears what. Visitor namespace: one room per visitor (all its tabs) and one per
 * account (status broadcasts). Agent namespace: one room per account. Typed by the
 * event maps of src/protocol.ts so a payload cannot drift from the contract.
 */
import type { Namespace } from 'socket.io'
import type { AgentEvents, VisitorEvents } from '../src/protocol.ts'

export const visitorRoom = (visitorId: string): string => `visitor:${visitorId}`
export const accountRoom = (accountId: string): string => `account:${accountId}`

export class Hub {
  constructor(
    private readonly visitors: Namespace,
    private readonly agents: Namespace,
  ) {}

  /** Every tab of one visitor. */
  toVisitor<E extends keyof VisitorEvents>(
    visitorId: string,
    event: E,
    data: VisitorEvents[E],
  ): void {
    this.visitors.to(visitorRoom(visitorId)).emit(event, data)
  }

  /** Every connected visitor of an account. */
  toAccountVisitors<E extends keyof VisitorEvents>(
    accountId: string,
    event: E,
    data: VisitorEvents[E],
  ): void {
    this.visitors.to(accountRoom(accountId)).emit(event, data)
  }

  /** Every agent socket of an account. */
  toAgents<E extends keyof AgentEvents>(accountId: string, event: E, data: AgentEvents[E]): void {
    this.agents.to(accountRoom(accountId)).emit(event, data)
  }
}
