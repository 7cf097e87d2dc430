/** Open Engine.IO connections per IP, for the `MAX_CONNECTIONS_PER_IP` cap. */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>()

  constructor(readonly max: number) {}

  /** True while `ip` is under the cap (a new connection may open). */
  allows(ip: string): boolean {
    return (this.counts.get(ip) ?? 0) < this.max
  }

  opened(ip: string): void {
    this.counts.set(ip, (this.counts.get(ip) ?? 0) + 1)
  }

  closed(ip: string): void {
    const left = (this.counts.get(ip) ?? 0) - 1
    if (left > 0) this.counts.set(ip, left)
    else this.counts.delete(ip)
  }

  count(ip: string): number {
    return this.counts.get(ip) ?? 0
  }
}
