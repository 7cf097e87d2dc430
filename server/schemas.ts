/**
 * Valibot schemas for every payload the server accepts, visitor and agent side.
 * Unknown keys are stripped (old and new clients send extras); every string and
 * collection has a maximum so one socket cannot make the server store megabytes.
 */
import * as v from 'valibot'

/** A rating's comment: a sentence or a paragraph, not an essay. */
export const MAX_RATING_TEXT = 1_000
export const MAX_HISTORY_LIMIT = 100
export const DEFAULT_HISTORY_LIMIT = 50
/** The visitor's current page (`visitor.connect`, `visitor.update`). */
export const MAX_PAGE_URL = 2_000
export const MAX_PAGE_TITLE = 500

const str = (max: number) => v.pipe(v.string(), v.maxLength(max))
const optText = (max: number) => v.nullish(str(max))
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

const properties = v.pipe(
  v.record(str(100), v.union([str(1_000), v.number(), v.boolean()])),
  v.check((o) => Object.keys(o).length <= 50, 'At most 50 variables'),
)

/** Requests whose payload is `null` on the wire (`chat.read`, `chat.close`, ...): anything goes. */
export const NoPayload = v.unknown()

export const ConnectOptions = v.object({
  id: v.nullish(id),
  key: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  group: optText(100),
  name: optText(200),
  email: optText(254),
  phone: optText(50),
  lang: optText(20),
  referer: optText(2_000),
  domain: optText(255),
  // Not required to be http(s) here: a page that is not (file:, about:) is simply not stored.
  pageUrl: optText(MAX_PAGE_URL),
  pageTitle: optText(MAX_PAGE_TITLE),
  bundleVersion: optText(100),
  visits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  createdAt: v.optional(v.number()),
  variables: v.optional(properties),
  properties: v.optional(properties),
})

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

const pageUrl = v.nullish(
  v.pipe(
    v.string(),
    v.maxLength(MAX_PAGE_URL),
    v.check(isHttpUrl, 'pageUrl must be an http(s) URL'),
  ),
)

export const VisitorUpdate = v.object({
  values: v.object({
    name: optText(200),
    email: optText(254),
    phone: optText(50),
    lang: optText(20),
    group: optText(100),
    variables: v.optional(properties),
    properties: v.optional(properties),
    pageUrl,
    pageTitle: optText(MAX_PAGE_TITLE),
  }),
})

export const VisitorAuthenticate = v.object({
  values: v.object({
    email: optText(254),
    name: optText(200),
    phone: optText(50),
    hash: v.optional(str(128)),
  }),
})

const clientId = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)))

const uploadToken = v.pipe(v.string(), v.minLength(1), v.maxLength(100))

export const UploadFinish = v.object({ uploadToken, clientId })

export const Transcript = v.object({
  email: v.pipe(v.string(), v.maxLength(254), v.email()),
  lang: v.optional(str(20), 'en'),
})

export const Rate = v.object({
  messageId: id,
  value: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5))),
  text: v.optional(str(MAX_RATING_TEXT)),
})

const historyFields = {
  before: v.optional(id),
  after: v.optional(id),
  limit: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HISTORY_LIMIT)),
    DEFAULT_HISTORY_LIMIT,
  ),
}

export const History = v.nullish(v.object(historyFields), {})

// --- agent side -------------------------------------------------------------------

const chatRef = { chatId: id }

export const AgentStatusChange = v.object({ status: v.picklist(['online', 'offline']) })

/** `chat.assign` / `chat.unassign`: the chat and the agent (of the same account) it is about. */
export const AgentAssignment = v.object({ ...chatRef, agentId: id })

export const ChatsList = v.nullish(
  v.object({
    status: v.optional(v.picklist(['pending', 'open', 'closed', 'all'])),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 100),
  }),
  {},
)

export const AgentHistory = v.object({ ...chatRef, ...historyFields })
export const ChatRef = v.object(chatRef)
export const AgentUploadFinish = v.object({ ...chatRef, uploadToken })

// --- texts, visitor and agent side ------------------------------------------------

/**
 * The payloads that carry a message text, for texts of at most `maxText` characters
 * (`ServerConfig.maxTextLength`). Built once per namespace, not per socket. A typing
 * preview may be as long as the message it becomes.
 */
export function textSchemas(maxText: number) {
  const text = v.pipe(
    v.string(),
    v.maxLength(maxText),
    v.check((s) => s.trim().length > 0, 'Text must not be empty'),
  )
  const content = v.object({ type: v.literal('text'), text })
  const typing = v.object({ is: v.boolean(), text: v.nullish(str(maxText)) })
  return {
    ChatMessage: v.object({
      content,
      type: v.optional(v.picklist(['contact', 'bot'])),
      isOffline: v.optional(v.boolean()),
      preventOpenChat: v.optional(v.boolean()),
      clientId,
    }),
    ChatTyping: v.object({ typing }),
    AgentMessage: v.object({ ...chatRef, content, clientId }),
    AgentTyping: v.object({ ...chatRef, typing }),
  }
}
