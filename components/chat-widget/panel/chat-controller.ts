import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Message } from '../../../src/protocol.ts'
import {
  type ChatService,
  type ChatServiceOptions,
  type ChatState,
  createChatService,
} from '../../../src/store/chat-service.ts'

/** What the controller needs from its host besides re-rendering. */
export interface ChatControllerCallbacks {
  onMessage(message: Message): void
  onState(state: ChatState, previous: ChatState | undefined): void
}

/**
 * Ties one `ChatService` (and so one socket) to the element's life: started when the element
 * is in the document and configured, stopped when it leaves, replaced when `server` or `key`
 * change.
 */
export class ChatController implements ReactiveController {
  service: ChatService | undefined
  #options: ChatServiceOptions | undefined
  #connected = false
  #unsubscribes: (() => void)[] = []
  readonly #host: ReactiveControllerHost
  readonly #callbacks: ChatControllerCallbacks

  constructor(host: ReactiveControllerHost, callbacks: ChatControllerCallbacks) {
    this.#host = host
    this.#callbacks = callbacks
    host.addController(this)
  }

  get state(): ChatState | undefined {
    return this.service?.state
  }

  /** Uses these options from now on; a different server, key or path means a new connection. */
  configure(options: ChatServiceOptions | undefined): void {
    const same =
      options &&
      this.#options &&
      options.server === this.#options.server &&
      options.key === this.#options.key &&
      options.path === this.#options.path
    this.#options = options
    if (same) return
    this.#stop()
    if (this.#connected) this.#start()
  }

  hostConnected(): void {
    this.#connected = true
    this.#start()
  }

  hostDisconnected(): void {
    this.#connected = false
    this.#stop()
  }

  /** Forgets the current visitor (stored chat and outbox included) and starts afresh. */
  async reset(): Promise<void> {
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe()
    const service = this.service
    this.service = undefined
    await service?.forget()
    if (this.#connected) this.#start()
  }

  #start(): void {
    if (!this.#options || this.service) return
    const service = createChatService(this.#options)
    this.service = service
    let previous: ChatState | undefined
    this.#unsubscribes = [
      service.subscribe((state) => {
        this.#callbacks.onState(state, previous)
        previous = state
        this.#host.requestUpdate()
      }),
      service.onMessage((message) => this.#callbacks.onMessage(message)),
    ]
    void service.start()
    this.#host.requestUpdate()
  }

  #stop(): void {
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe()
    const service = this.service
    this.service = undefined
    if (service) void service.stop()
    this.#host.requestUpdate()
  }
}
