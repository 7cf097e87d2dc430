/**
 * Builds of the project. `vite build` (the default mode) builds the site; another mode is free
 * for the widget bundle, which is a separate build with its own output:
 *
 *   vite build                 → dist/site/   the demo page (/) and the agent console (/console)
 *   vite build --mode widget   → dist/chat-widget.js (to come: one self-contained file)
 *
 * The server serves `dist/site/` as static files and `dist/chat-widget.js` beside it. Each build
 * empties only its own output, so the two can run in any order.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin, type UserConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))

/** Where the reference server listens during `npm run dev` (for the dev server's proxy). */
const devServer = process.env.CHAT_SERVER_URL ?? 'http://localhost:8080'

/** The pages of the site: entry name, source HTML, and output path under dist/site. */
const pages = [
  { name: 'demo', source: 'index.html', target: 'index.html' },
  { name: 'console', source: 'server/console/index.html', target: 'console/index.html' },
]

/**
 * The console's HTML lives beside its code in `server/console/`, but is served at `/console`.
 * Move the emitted page (and, in dev, serve it at that URL too). Asset URLs are absolute
 * (`/assets/…`), so moving the HTML file breaks nothing.
 */
function sitePages(): Plugin {
  return {
    name: 'chat-widget:site-pages',
    // After Vite's own HTML plugin has emitted the pages.
    enforce: 'post',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === '/console' || req.url?.startsWith('/console?')) {
          req.url = req.url.replace('/console', '/server/console/index.html')
        }
        next()
      })
    },
    generateBundle(_options, bundle) {
      for (const { source, target } of pages) {
        const file = bundle[source]
        if (file?.type !== 'asset' || source === target) continue
        // Rolldown does not let a plugin assign into the bundle: emit a copy, drop the original.
        delete bundle[source]
        this.emitFile({ type: 'asset', fileName: target, source: file.source })
      }
    },
  }
}

/** The demo site and the agent console: plain multi-page app in dist/site. */
function siteBuild(): UserConfig {
  return {
    root,
    publicDir: 'public',
    plugins: [sitePages()],
    build: {
      outDir: 'dist/site',
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: {
        input: Object.fromEntries(pages.map(({ name, source }) => [name, path(source)])),
        // Shared code (lit, socket.io-client) would otherwise be named after one of its modules.
        output: { chunkFileNames: 'assets/shared-[hash].js' },
      },
    },
    server: {
      // `vite` (dev) serves the pages; the chat server must run beside it (`npm run dev`).
      proxy: {
        '/socket': { target: devServer, ws: true },
        '/chat-widget.js': { target: devServer },
      },
    },
  }
}

export default defineConfig(({ mode }) => {
  if (mode === 'widget') {
    // The widget bundle (dist/chat-widget.js, with `build.lib`, `outDir: 'dist'`,
    // `emptyOutDir: false`, `publicDir: false`) arrives with the <chat-widget> element.
    throw new Error('The widget build (vite build --mode widget) is not configured yet.')
  }
  return siteBuild()
})
