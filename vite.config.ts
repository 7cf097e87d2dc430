/**
 * Builds of the project. `vite build` (the default mode) builds the site; another mode is free
 * for the widget bundle, which is a separate build with its own output:
 *
 *   vite build                 → dist/site/   the demo page (/) and the agent console (/console)
 *   vite build --mode widget   → dist/chat-widget.js (+ .classic.js): the widget, one file each
 *
 * The server serves `dist/site/` as static files and `dist/chat-widget.js` beside it. Each build
 * empties only its own output, so the two can run in any order.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin, type UserConfig } from 'vite'
import { minifyTemplates } from './scripts/minify-templates.ts'

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

/**
 * The widget as one self-contained file a site owner loads with one script tag:
 * `dist/chat-widget.js` (ES module) and `dist/chat-widget.classic.js` (a classic script, for
 * pages that cannot use `type="module"`). Lit, socket.io-client and idb-keyval are bundled in.
 */
function widgetBuild(): UserConfig {
  return {
    root,
    publicDir: false,
    // Lit's css/html templates are data to the JavaScript minifier: minify their text too.
    plugins: [minifyTemplates()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      // Not `build.lib`: library mode keeps ES output unminified, and this file goes straight
      // to browsers.
      minify: true,
      rolldownOptions: {
        input: path('components/chat-widget/install.ts'),
        output: [
          { format: 'es', entryFileNames: 'chat-widget.js' },
          { format: 'iife', entryFileNames: 'chat-widget.classic.js', name: 'ChatWidget' },
        ],
        // The classic build has no `import.meta`; install.ts finds its script tag through
        // `document.currentScript` there, so the empty object it gets is fine.
        onLog(level, log, handler) {
          if (log.message.includes('import.meta')) return
          handler(level, log)
        },
      },
    },
  }
}

export default defineConfig(({ mode }) => (mode === 'widget' ? widgetBuild() : siteBuild()))
