/**
 * A tiny typed event emitter that runs the same in browsers and in Node (no `events` module).
 *
 * `Events` maps each event name to the tuple of its listener's arguments, so
 * `emitter.on('disconnect', (reason) => …)` knows `reason` is a string.
 */

/** Event name → the tuple of its listener's arguments. */
export type EventMap<Events> = { [K in keyof Events]: unknown[] }

export type Listener<Args extends unknown[]> = (...args: Args) => void

/** Returned by `on` and `once`: call it to remove the listener. */
export type Unsubscribe = () => void

interface Entry {
  // biome-ignore lint/suspicious/noExplicitAny: arguments are checked per event by `Events`
  listener: (...args: any[]) => void
  once: boolean
}

export class Emitter<Events extends EventMap<Events>> {
  private readonly listeners = new Map<keyof Events, Entry[]>()

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    return this.add(event, listener, false)
  }

  /** Adds a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    return this.add(event, listener, true)
  }

  /** Removes one listener, every listener of one event, or (no arguments) every listener. */
  off<K extends keyof Events>(event?: K, listener?: Listener<Events[K]>): this {
    if (event === undefined) this.listeners.clear()
    else if (listener === undefined) this.listeners.delete(event)
    else {
      const entries = this.listeners.get(event)?.filter((entry) => entry.listener !== listener)
      if (entries?.length) this.listeners.set(event, entries)
      else this.listeners.delete(event)
    }
    return this
  }

  /** How many listeners an event has. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0
  }

  /**
   * Calls every listener of `event` in the order they were added. A listener that throws
   * does not stop the others: its error is reported asynchronously, as a DOM event
   * listener's would be.
   */
  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const entries = this.listeners.get(event)
    if (!entries) return
    for (const entry of [...entries]) {
      if (!this.listeners.get(event)?.includes(entry)) continue // removed by an earlier listener
      if (entry.once) this.removeEntry(event, entry)
      try {
        entry.listener(...args)
      } catch (error) {
        reportListenerError(error)
      }
    }
  }

  private removeEntry(event: keyof Events, entry: Entry): void {
    const entries = this.listeners.get(event)?.filter((other) => other !== entry)
    if (entries?.length) this.listeners.set(event, entries)
    else this.listeners.delete(event)
  }

  private add<K extends keyof Events>(
    event: K,
    listener: Listener<Events[K]>,
    once: boolean,
  ): Unsubscribe {
    const entry: Entry = { listener, once }
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), entry])
    return () => this.removeEntry(event, entry)
  }
}

/** Browsers have `reportError`; elsewhere rethrow outside the emitting call stack. */
function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (report) report(error)
  else
    setTimeout(() => {
      throw error
    })
}
