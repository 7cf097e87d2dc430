/**
 * Builds of the project. `vite build` (the default mode) builds the site; another mode is free
 * for the widget bundle, which is a separate build with its own output:
 *
 *   vite build                 → dist/site/   the demo page (/) and the agent console (/console)
 *   vite build --mode widget   → dist/chat-widget.js: the widget's entry (the launcher), with
 *                                the rest in dist/chat-widget/*.js chunks it imports on demand,
 *                                and dist/chat-widget.classic.js, a loader for classic pages
 *
 * The server serves `dist/site/` as static files and `dist/chat-widget.js` beside it. Each build
 * empties only its own output, so the two can run in any order.
 */
import { rmSync } from 'node:fs'
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

/**
 * engine.io-client's table of transports by name holds WebTransport too. The widget never asks
 * for it: it connects with `transports: ['websocket', 'polling']` (the SDK's default) and nothing
 * a page sets changes that. But the table keeps WebTransport and engine.io-parser's stream codecs
 * (used by it alone) in the panel chunk: 0.84 KB gzipped. The widget's build drops that entry; the
 * SDK (src/, for bundlers) is untouched. A table that no longer looks as expected fails the build.
 */
function withoutWebTransport(): Plugin {
  const table = /\/engine\.io-client\/build\/esm\/transports\/index\.js$/
  const lines = ['import { WT } from "./webtransport.js";', '    webtransport: WT,']
  return {
    name: 'chat-widget:without-webtransport',
    transform(code, id) {
      if (!table.test(id)) return null
      if (lines.some((line) => !code.includes(`${line}\n`))) {
        this.error(`engine.io-client's ${id} changed: update withoutWebTransport()`)
      }
      // Blank lines in their place, so the source map of the file stays as it was.
      return { code: lines.reduce((out, line) => out.replace(line, ''), code), map: null }
    },
  }
}

/**
 * What the panel needs (its static imports that the entry does not carry) goes into the panel's
 * chunk. Rolldown would otherwise move the modules the panel shares with the parts it loads on
 * demand (the offline form, the end of chat, the lightbox: see components/shared/on-demand.ts)
 * into a common chunk, which the panel would fetch after itself: one more round trip at open,
 * and more gzip overhead, for code every open runs anyway.
 */
function panelChunk(): { plugin: Plugin; group: { name: string; test: (id: string) => boolean } } {
  const modules = new Set<string>()
  const plugin: Plugin = {
    name: 'chat-widget:panel-chunk',
    buildEnd() {
      modules.clear()
      const ids = [...this.getModuleIds()]
      const closure = (end: string, seen = new Set<string>()) => {
        const from = ids.find((id) => id.endsWith(end))
        if (!from) this.error(`panelChunk(): no module ${end} in the widget build`)
        const visit = (id: string) => {
          if (seen.has(id)) return
          seen.add(id)
          for (const next of this.getModuleInfo(id)?.importedIds ?? []) visit(next)
        }
        visit(from)
        return seen
      }
      const entry = closure('components/chat-widget/install.ts')
      for (const id of closure('components/chat-widget/panel/chat-panel.ts')) {
        if (!entry.has(id)) modules.add(id)
      }
    },
  }
  return { plugin, group: { name: 'chat-panel', test: (id) => modules.has(id) } }
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
        '/chat-widget/': { target: devServer },
        '/v1/status': { target: devServer },
      },
    },
  }
}

/**
 * The widget a site owner loads with one script tag: `dist/chat-widget.js` (ES module), a small
 * entry that defines `<chat-widget>` and paints its launcher, and `dist/chat-widget/*.js`, the
 * chunks it imports when needed (the panel and its connection on the visitor's intent, each
 * language, the rarer parts), resolved relative to the entry's URL. Their names carry a content
 * hash, so the server caches them for long. Lit, socket.io-client and idb-keyval are bundled in.
 * `dist/chat-widget.classic.js` is a tiny classic script that adds the module (see classic.ts).
 */
function widgetBuild(): UserConfig {
  const panel = panelChunk()
  return {
    root,
    publicDir: false,
    plugins: [
      // Lit's css/html/svg templates are data to the JavaScript minifier: minify their text too.
      minifyTemplates(),
      withoutWebTransport(),
      panel.plugin,
      {
        name: 'chat-widget:clean-chunks',
        // emptyOutDir is off (dist/ holds the site too): drop the last build's chunks only.
        buildStart() {
          rmSync(path('dist/chat-widget'), { recursive: true, force: true })
        },
      },
    ],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      // Library mode: its `import()`s stay plain (no preload helper: chunks load on demand,
      // preloading them with the entry would defeat the split). Minified all the same: these
      // files go straight to browsers.
      minify: true,
      lib: {
        entry: {
          'chat-widget': path('components/chat-widget/install.ts'),
          'chat-widget.classic': path('components/chat-widget/classic.ts'),
        },
        formats: ['es'],
      },
      rolldownOptions: {
        // The entry may export more than its own API: the shared code (lit…) the chunks import
        // from it, instead of a common chunk the entry would fetch before painting.
        preserveEntrySignatures: 'allow-extension',
        output: {
          // Library mode would keep whitespace and comments.
          minify: true,
          comments: false,
          // Chromium's explicit compile hint: each file's functions are compiled while it streams
          // in, off the main thread, instead of one by one on their first call. Everything in
          // these files runs once they load (the launcher; the panel when opened). 4x CPU, both
          // builds alternated: script → launcher painted 75 / 85 ms vs 117 / 98; a click on a
          // preloaded panel → input painted 97 / 95 ms vs 115 / 108 (medians of 9).
          postBanner: '//# allFunctionsCalledOnLoad',
          format: 'es',
          entryFileNames: '[name].js',
          // Letters, digits and dashes (the server serves chunks by that pattern): `form.styles`
          // would otherwise keep its dot.
          chunkFileNames: (chunk) => `chat-widget/${chunk.name.replace(/[^\w-]/g, '-')}-[hash].js`,
          // Only the modules named: their dependencies in the entry stay there.
          codeSplitting: { groups: [{ ...panel.group, includeDependenciesRecursively: false }] },
        },
      },
    },
  }
}

export default defineConfig(({ mode }) => (mode === 'widget' ? widgetBuild() : siteBuild()))
