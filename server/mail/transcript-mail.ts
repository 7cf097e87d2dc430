/**
 * A chat transcript as a mail: a plain-text part and a simple HTML part with the same
 * lines. No I/O here. Everything that came from a visitor or an agent is escaped in the
 * HTML part; links are only ever our own http(s) file URLs.
 */
import type { Message } from '../../src/protocol.ts'
import type { Mail } from './transport.ts'

export interface TranscriptInput {
  accountName: string
  from: string
  to: string
  lang: string
  /** The visitor's name, when known. */
  visitorName: string | null
  /** Agent id → nickname. */
  agents: Map<string, string>
  /** Oldest first. */
  messages: Message[]
}

/** One line of the transcript: a message (`author` set) or a system line. */
interface Line {
  time: string
  author: string | null
  text: string
  file?: { name: string; url: string }
}

export function transcriptMail(input: TranscriptInput): Mail {
  const subject = `Your chat with ${input.accountName}`
  const time = timeFormat(input.lang)
  const lines = input.messages
    .map((message) => lineOf(message, input, time))
    .filter((line): line is Line => line !== null)
  return {
    from: { name: input.accountName, address: input.from },
    to: input.to,
    subject,
    text: renderText(subject, lines),
    html: renderHtml(subject, lines),
  }
}

function lineOf(message: Message, input: TranscriptInput, format: Intl.DateTimeFormat) {
  const time = format.format(new Date(message.createdAt))
  const agent = (message.agentId && input.agents.get(message.agentId)) || 'Agent'
  const { type, text, data } = message.content
  const author =
    message.subType === 'contact'
      ? input.visitorName || 'Visitor'
      : message.subType === 'agent'
        ? agent
        : null
  if (message.type === 'event') {
    const event: Record<string, string> = {
      agent_join: `${agent} joined the chat`,
      agent_leave: `${agent} left the chat`,
      agent_assign: `${agent} was assigned to the chat`,
      agent_unassign: `${agent} was unassigned from the chat`,
      chat_close: 'The chat was closed',
    }
    return { time, author: null, text: event[type] ?? text ?? type }
  }
  if (type === 'upload') {
    const file = message.attachments[0] ?? data
    if (!file?.url) return null
    return { time, author, text: '', file: { name: String(file.fileName), url: String(file.url) } }
  }
  if (type === 'rate_form') {
    if (data?.value == null) return null
    const comment = data.text ? `: ${data.text}` : ''
    return { time, author: null, text: `Rated ${data.value}/5${comment}` }
  }
  return { time, author, text: text ?? '' }
}

function renderText(subject: string, lines: Line[]): string {
  const body = lines.map((line) => {
    const what = line.file ? `${line.file.name} <${line.file.url}>` : line.text
    return line.author ? `[${line.time}] ${line.author}: ${what}` : `[${line.time}] — ${what}`
  })
  return `${subject}\n(times in UTC)\n\n${body.join('\n')}\n`
}

function renderHtml(subject: string, lines: Line[]): string {
  const rows = lines.map((line) => {
    const time = `<td style="color:#666;white-space:nowrap;vertical-align:top">${escapeHtml(line.time)}</td>`
    if (!line.author)
      return `<tr>${time}<td colspan="2" style="color:#666;font-style:italic">${escapeHtml(line.text)}</td></tr>`
    const what = line.file
      ? `<a href="${escapeHtml(line.file.url)}">${escapeHtml(line.file.name)}</a>`
      : escapeHtml(line.text).replaceAll('\n', '<br>')
    return `<tr>${time}<td style="font-weight:bold;vertical-align:top">${escapeHtml(line.author)}</td><td>${what}</td></tr>`
  })
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif">',
    `<h1 style="font-size:1.2em">${escapeHtml(subject)}</h1>`,
    '<p style="color:#666">Times in UTC.</p>',
    `<table cellpadding="4">${rows.join('')}</table>`,
    '</body></html>',
  ].join('\n')
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/** Date and time in the visitor's language (English when the tag is unknown), in UTC. */
function timeFormat(lang: string): Intl.DateTimeFormat {
  const options = { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' } as const
  try {
    return new Intl.DateTimeFormat(lang, options)
  } catch {
    return new Intl.DateTimeFormat('en', options)
  }
}
