/**
 * The built demo page, console and widget bundle. They are built by `npm run build`
 * (vite); until then these routes answer a clear 503 instead of a bare 404.
 */
import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import sirv from 'sirv'
import { sendText } from './respond.ts'

const NOT_BUILT = 'not built: run npm run build\n'

type Middleware = ReturnType<typeof sirv>

/** Serves `staticDir` with sirv; created on first use so a later build is picked up. */
export function createStaticHandler(staticDir: string) {
  let serve: Middleware | null = null
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!existsSync(staticDir)) {
      sendText(res, 503, NOT_BUILT)
      return
    }
    // dev mode looks files up per request: a rebuild needs no restart.
    serve ??= sirv(staticDir, { dev: true, etag: true })
    serve(req, res, () => {
      const path = req.url?.split('?')[0] ?? '/'
      const isPage = path === '/' || path === '/console' || path.startsWith('/console/')
      if (isPage) sendText(res, 503, NOT_BUILT)
      else sendText(res, 404, 'Not found\n')
    })
  }
}

/** `/chat-widget.js`, or 503 when the bundle is not built. */
export async function serveWidget(res: ServerResponse, widgetFile: string): Promise<void> {
  const info = await stat(widgetFile).catch(() => null)
  if (!info?.isFile()) return sendText(res, 503, NOT_BUILT)
  res.writeHead(200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Content-Length': info.size,
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'no-cache',
  })
  await pipeline(createReadStream(widgetFile), res)
}
