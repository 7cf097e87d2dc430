/** The HTTP routes next to Socket.IO (which answers `/socket` before this runs). */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import { AVATAR_SVG, DEMO_AVATAR_PATH } from '../seed.ts'
import type { Storage } from '../storage/types.ts'
import type { Uploads } from '../uploads.ts'
import { handleFile } from './files.ts'
import { type HealthDeps, handleHealth } from './health.ts'
import { sendError, sendSvgImage } from './respond.ts'
import { createStaticHandler, serveWidget, serveWidgetChunk } from './static.ts'
import { handleStatus, type StatusDeps } from './status.ts'
import { handleUpload } from './upload.ts'

export interface HttpDeps {
  config: ServerConfig
  storage: Storage
  uploads: Uploads
  log: Logger
  health: HealthDeps
  /**
   * The account status of `/v1/status` (presence starts after the router: the app fills it in).
   * Without it every account reads `offline`.
   */
  status?: Pick<StatusDeps, 'accountStatus'>
}

export function createRouter({ config, storage, uploads, log, health, status }: HttpDeps) {
  const serveStatic = createStaticHandler(config.staticDir)
  const statusDeps: StatusDeps = {
    storage,
    accountStatus: (accountId) => status?.accountStatus(accountId) ?? Promise.resolve('offline'),
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!
    const parts = path.split('/').filter(Boolean)

    if (path === '/healthz') return handleHealth(req, res, health)
    if (parts[0] === 'upload' && parts.length === 2)
      return handleUpload(req, res, parts[1]!, uploads, config.uploadMaxBytes, log)
    if (parts[0] === 'files' && parts.length >= 2)
      return handleFile(req, res, parts[1]!, storage, uploads)
    if (parts[0] === 'thumbs' && parts.length >= 2)
      return handleFile(req, res, parts[1]!, storage, uploads, 'thumb')
    if (path === '/v1/status') return handleStatus(req, res, statusDeps)
    if (path === '/chat-widget.js' || path === '/chat-widget.classic.js')
      return serveWidget(req, res, config.widgetFile, path.slice(1))
    if (parts[0] === 'chat-widget' && parts.length === 2)
      return serveWidgetChunk(req, res, config.widgetFile, parts[1]!)
    if (path === DEMO_AVATAR_PATH) return sendSvgImage(res, AVATAR_SVG)
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res)
    sendError(res, 404, 'Not found')
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    health.readiness.track(res)
    route(req, res).catch((err) => {
      log.error({ err, url: req.url }, 'http request failed')
      if (!res.headersSent) sendError(res, 500, 'Internal server error')
      else res.destroy()
    })
  }
}
