/**
 * The built demo page, console and widget bundle. They are built by `npm run build`
 * (vite); until then these routes answer a clear 503 instead of a bare 404.
 */
import { createReadStream, existsSync, type Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
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

/** Hashed chunk names (`panel-Bx3k9.js`), and their source maps. */
const CHUNK = /^[\w-]+\.js(\.map)?$/

/**
 * `/chat-widget.js` (the entry a site's script tag loads) or `/chat-widget.classic.js` (its
 * classic-script loader), both beside `widgetFile`, or 503 when the widget is not built. They
 * keep their names across releases, so browsers revalidate them each time (`no-cache` + ETag):
 * a release reaches every visitor on their next page view.
 */
export async function serveWidget(
  req: IncomingMessage,
  res: ServerResponse,
  widgetFile: string,
  name = 'chat-widget.js',
): Promise<void> {
  const file = name === 'chat-widget.js' ? widgetFile : join(dirname(widgetFile), name)
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return sendText(res, 503, NOT_BUILT)
  await sendScript(req, res, file, info, 'no-cache')
}

/**
 * `/chat-widget/<chunk>.js`: the parts of the widget it loads when needed (`import()` resolves
 * them next to the entry). Their names carry a content hash, so they are cached for a year.
 */
export async function serveWidgetChunk(
  req: IncomingMessage,
  res: ServerResponse,
  widgetFile: string,
  name: string,
): Promise<void> {
  const info = CHUNK.test(name)
    ? await stat(join(dirname(widgetFile), 'chat-widget', name)).catch(() => null)
    : null
  if (!info?.isFile()) return sendText(res, 404, 'Not found\n')
  const file = join(dirname(widgetFile), 'chat-widget', name)
  await sendScript(req, res, file, info, 'public, max-age=31536000, immutable')
}

async function sendScript(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  info: Stats,
  cacheControl: string,
): Promise<void> {
  const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`
  const headers = {
    'Content-Type': file.endsWith('.map')
      ? 'application/json; charset=utf-8'
      : 'text/javascript; charset=utf-8',
    // Module scripts from another origin are fetched with CORS.
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': cacheControl,
    ETag: etag,
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  res.writeHead(200, { ...headers, 'Content-Length': info.size })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  await pipeline(createReadStream(file), res)
}
