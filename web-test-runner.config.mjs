// Browser tests of the widget's Lit components: `npx wtr --config web-test-runner.config.mjs`.
// TypeScript is compiled by esbuild with our tsconfig, so decorators stay `experimentalDecorators`.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { defaultReporter } from '@web/test-runner'
import { playwrightLauncher } from '@web/test-runner-playwright'
import { CHROMIUM_ARGS, findChromium } from './scripts/browser.mjs'

// $CHROMIUM_PATH, a system Chromium/Chrome, else Playwright's own (see scripts/browser.mjs).
const executablePath = await findChromium()

/**
 * A real chat server for the tests of `<chat-widget>` and the connection service, started once
 * for the run. Browser code reads its address from `/__chat-server.json`.
 */
function chatServer() {
  let server
  return {
    name: 'chat-server',
    async serverStart() {
      // The server is TypeScript: load it through tsx, as the Node suites do.
      const { register } = await import('tsx/esm/api')
      register()
      const { NO_LIMITS, startTestServer } = await import('./test/support/server.ts')
      // Every browser test shares this server from one IP: no per-IP cap or rate limit here
      // (the limits have Node tests of their own).
      server = await startTestServer(NO_LIMITS)
    },
    async serverStop() {
      await server?.close()
    },
    serve(context) {
      if (context.path !== '/__chat-server.json') return undefined
      return {
        // The demo account's secret, so tests can compute identity hashes (identify with hash).
        body: JSON.stringify({
          url: server.url,
          key: server.key,
          agentToken: server.agentToken,
          accountSecret: server.accountSecret,
        }),
        type: 'json',
      }
    },
  }
}

/**
 * `/__style-modules.json`: the path of every `*.styles.ts` module under components/ and styles/,
 * read from the disk at each request (the browser cannot list files), so the style tests load
 * every sheet, including one added later.
 */
function styleModules() {
  return {
    name: 'style-modules',
    serve(context) {
      if (context.path !== '/__style-modules.json') return undefined
      const paths = ['components', 'styles'].flatMap((dir) =>
        readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.styles.ts'))
          .map((file) => join(dir, file)),
      )
      return { body: JSON.stringify(paths.sort()), type: 'json' }
    },
  }
}

export default {
  files: ['test/components/**/*.test.ts', 'test/**/*.browser.test.ts'],
  // Browser builds of dependencies (socket.io-client's, not its Node one that pulls in `ws`).
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  // Quiet: failures and the closing summary, no browser console output.
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: true })],
  browserLogs: false,
  testFramework: { config: { timeout: 5000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }), chatServer(), styleModules()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS },
    }),
  ],
}
