import { createStore, del, get, set, type UseStore } from 'idb-keyval'
import type { Message } from '../protocol.ts'

/** What a visitor's browser remembers between page loads, per server + account. */
export interface SavedChat {
  visitorId: string | null
  chatId: string | null
  /** Confirmed messages of the current chat, oldest first. */
  messages: Message[]
  /** When the visitor last read the chat (drives the unread badge). */
  visitorReadAt: string | null
  /** When an agent last read the chat (drives the "seen" marks). */
  agentReadAt: string | null
  /** Whether older messages exist on the server than the oldest one saved. */
  hasMore: boolean
}

export const emptyChat = (): SavedChat => ({
  visitorId: null,
  chatId: null,
  messages: [],
  visitorReadAt: null,
  agentReadAt: null,
  hasMore: false,
})

/** A place to keep a SavedChat. The IndexedDB one is the default; tests inject their own. */
export interface ChatPersistence {
  readonly kind: 'indexeddb' | 'memory'
  load(): Promise<SavedChat | undefined>
  save(chat: SavedChat): Promise<void>
  clear(): Promise<void>
}

/** Keeps the chat in memory only: used when IndexedDB is missing or refuses (private mode, quota). */
export function memoryPersistence(): ChatPersistence {
  let saved: SavedChat | undefined
  return {
    kind: 'memory',
    load: async () => saved,
    save: async (chat) => {
      saved = chat
    },
    clear: async () => {
      saved = undefined
    },
  }
}

let sharedStore: UseStore | undefined

/**
 * Keeps the chat in IndexedDB through idb-keyval, one key per `namespace` (server + account),
 * so two widgets of different sites on one origin never mix their chats.
 */
export function indexedDbPersistence(namespace: string, store?: UseStore): ChatPersistence {
  // Opened lazily: creating the store opens the database, which we only want once needed.
  const useStore = () => {
    if (store) return store
    sharedStore ??= createStore('chat-widget', 'chats')
    return sharedStore
  }
  return {
    kind: 'indexeddb',
    load: () => get<SavedChat>(namespace, useStore()),
    save: (chat) => set(namespace, chat, useStore()),
    clear: () => del(namespace, useStore()),
  }
}

/**
 * IndexedDB when it works, else memory — said once in the console, never thrown at the page.
 * Probes with a real read, since private modes may expose `indexedDB` and still refuse to open.
 */
export async function openPersistence(
  namespace: string,
  preferred: ChatPersistence = indexedDbPersistence(namespace),
): Promise<{ persistence: ChatPersistence; saved: SavedChat | undefined }> {
  try {
    if (preferred.kind === 'indexeddb' && typeof indexedDB === 'undefined') {
      throw new Error('IndexedDB is not available')
    }
    const saved = await preferred.load()
    return { persistence: preferred, saved }
  } catch (error) {
    console.warn(
      '[chat-widget] IndexedDB is unavailable; the chat is kept in memory for this page only.',
      error,
    )
    return { persistence: memoryPersistence(), saved: undefined }
  }
}
