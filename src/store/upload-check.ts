import type { UploadLimits } from '../protocol.ts'

/** Why a file was not sent; the widget words it (and translates it). */
export interface UploadProblem {
  fileName: string
  reason: 'too_large' | 'type_not_accepted' | 'empty'
  /** The server's limit in bytes (for `too_large`). */
  maxSize: number
}

/** Whether `type` is in `accepted` (exact MIME types or `type/*` wildcards). */
export function acceptsType(accepted: readonly string[], type: string): boolean {
  const [major] = type.split('/')
  return accepted.some((entry) => entry === type || entry === `${major}/*`)
}

/**
 * Checks a file against the server's limits (ConnectedData `uploads`) before sending it, so the
 * visitor hears at once instead of after the upload. A file whose type the browser does not
 * know is left to the server, which sniffs the content anyway.
 */
export function checkUpload(
  file: { name: string; size: number; type: string },
  limits: UploadLimits | null,
): UploadProblem | null {
  const problem = (reason: UploadProblem['reason']): UploadProblem => ({
    fileName: file.name,
    reason,
    maxSize: limits?.maxSize ?? 0,
  })
  if (file.size === 0) return problem('empty')
  if (!limits) return null
  if (file.size > limits.maxSize) return problem('too_large')
  if (file.type && !acceptsType(limits.acceptedTypes, file.type))
    return problem('type_not_accepted')
  return null
}
