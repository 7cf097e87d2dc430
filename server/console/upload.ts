import type { Message, WireError } from '../../src/protocol.ts'
import { type AgentConnection, RequestError } from './agent-connection.ts'

export interface SendFileOptions {
  /** Called as bytes go out, with the share sent (0–1). */
  onProgress?: (fraction: number) => void
  /** Aborting stops the upload and rejects with an `AbortError`. */
  signal?: AbortSignal
}

/**
 * An agent's file into a chat: `chat.upload_init` → HTTP POST of the bytes →
 * `chat.upload_finish`, which stores and broadcasts the upload message. Rejects with a
 * `RequestError` (the server's `{ message, code, type }`, HTTP refusals included) or an
 * `AbortError`.
 */
export async function sendFile(
  connection: AgentConnection,
  chatId: string,
  file: File,
  { onProgress, signal }: SendFileOptions = {},
): Promise<Message> {
  signal?.throwIfAborted()
  const { url, token } = await connection.request('chat.upload_init', { chatId })
  signal?.throwIfAborted()
  await postFile(url, file, onProgress, signal)
  signal?.throwIfAborted()
  return connection.request('chat.upload_finish', { chatId, uploadToken: token })
}

/** POSTs one multipart part named `file`; XMLHttpRequest, for its upload progress. */
function postFile(
  url: string,
  file: File,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    form.append('file', file, file.name || 'file')
    const xhr = new XMLHttpRequest()
    const onAbort = () => xhr.abort()
    const settle = () => signal?.removeEventListener('abort', onAbort)
    xhr.open('POST', url)
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable ? event.total : file.size
      if (total > 0) onProgress?.(Math.min(1, event.loaded / total))
    }
    xhr.onload = () => {
      settle()
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1)
        resolve()
      } else reject(new RequestError(httpError(xhr.status, xhr.responseText)))
    }
    xhr.onerror = () => {
      settle()
      reject(new RequestError({ message: 'Network error', type: 'network_error' }))
    }
    xhr.onabort = () => {
      settle()
      reject(new DOMException('The upload was cancelled', 'AbortError'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    onProgress?.(0)
    xhr.send(form)
  })
}

/** The server's JSON refusal `{ message, code, type }`, or one made from the status. */
function httpError(status: number, body: string): WireError {
  try {
    const parsed = JSON.parse(body) as Partial<WireError>
    if (typeof parsed.message === 'string') {
      return { message: parsed.message, code: parsed.code ?? status, type: parsed.type }
    }
  } catch {
    // Not JSON (a proxy's page, say): fall through.
  }
  return { message: `Upload refused (HTTP ${status})`, code: status }
}

/** True for the rejection of a cancelled upload. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}
