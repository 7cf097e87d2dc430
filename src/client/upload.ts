import { SocketError } from './socket-error.ts'

/** A file to upload: a browser `File`, or any `Blob` with an optional name. */
export type UploadFile = Blob & { name?: string }

export interface UploadOptions {
  /** Called as bytes go out: with real progress through XMLHttpRequest, else at start and end. */
  onProgress?: (loaded: number, total: number) => void
  /** Aborting rejects with an `AbortError` and stops the upload. */
  signal?: AbortSignal
  /**
   * The file name sent to the server.
   * @default `file.name`, else `'file'`
   */
  fileName?: string
  /** Sent with `chat.upload_finish`: the stored Message echoes it, and a retry returns it. */
  clientId?: string
}

/** The `AbortError` to reject with when `signal` aborted. */
export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason
  if (reason instanceof Error && reason.name === 'AbortError') return reason
  return new DOMException('The upload was aborted', 'AbortError')
}

/**
 * POSTs `file` to `url` as `multipart/form-data` with one part named `file`.
 * Browsers go through XMLHttpRequest (it reports upload progress); where there is none
 * (Node), through `fetch`. An HTTP error rejects with a `SocketError` whose `code` is the
 * HTTP status and whose message is the server's.
 */
export function postFile(
  url: string,
  file: UploadFile,
  options: UploadOptions = {},
): Promise<void> {
  const { signal } = options
  if (signal?.aborted) return Promise.reject(abortError(signal))
  const form = new FormData()
  form.append('file', file, options.fileName ?? file.name ?? 'file')
  return typeof XMLHttpRequest === 'undefined'
    ? postWithFetch(url, form, file.size, options)
    : postWithXhr(url, form, file.size, options)
}

function postWithXhr(
  url: string,
  form: FormData,
  size: number,
  { onProgress, signal }: UploadOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const onAbort = () => xhr.abort()
    const done = () => signal?.removeEventListener('abort', onAbort)
    xhr.open('POST', url)
    xhr.upload.onprogress = (event) => {
      onProgress?.(event.loaded, event.lengthComputable ? event.total : size)
    }
    xhr.onload = () => {
      done()
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(size, size)
        resolve()
      } else reject(httpError(xhr.status, xhr.statusText, xhr.responseText))
    }
    xhr.onerror = () => {
      done()
      reject(new SocketError('Upload failed: network error', { type: 'network_error' }))
    }
    xhr.onabort = () => {
      done()
      reject(abortError(signal))
    }
    signal?.addEventListener('abort', onAbort)
    onProgress?.(0, size)
    xhr.send(form)
  })
}

async function postWithFetch(
  url: string,
  form: FormData,
  size: number,
  { onProgress, signal }: UploadOptions,
): Promise<void> {
  onProgress?.(0, size)
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', body: form, signal })
  } catch (error) {
    if (signal?.aborted) throw abortError(signal)
    throw new SocketError('Upload failed: network error', { type: 'network_error', cause: error })
  }
  const body = await response.text().catch(() => '')
  if (!response.ok) throw httpError(response.status, response.statusText, body)
  if (signal?.aborted) throw abortError(signal)
  onProgress?.(size, size)
}

/** The server answers errors as JSON `{ message, code, type }`, like an ack error; else text. */
function httpError(status: number, statusText: string, body: string): SocketError {
  let message = body.trim() || statusText || `HTTP ${status}`
  let type = 'http_error'
  try {
    const json = JSON.parse(body) as { message?: unknown; type?: unknown }
    if (typeof json.message === 'string') message = json.message
    if (typeof json.type === 'string') type = json.type
  } catch {
    // not JSON: keep the text
  }
  return new SocketError(message, { code: status, type, event: 'upload' })
}
