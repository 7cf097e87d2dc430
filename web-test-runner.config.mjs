// Browser tests of the widget's Lit components: `npx wtr --config web-test-runner.config.mjs`.
// TypeScript is compiled by esbuild with our tsconfig, so decorators stay `experimentalDecorators`.
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { defaultReporter } from '@web/test-runner'
import { playwrightLauncher } from '@web/test-runner-playwright'
import { CHROMIUM_ARGS, findChromium } from './scripts/browser.mjs'

// $CHROMIUM_PATH, a system Chromium/Chrome, else Playwright's own (see scripts/browser.mjs).
const executablePath = await findChromium()

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  // Quiet: failures and the closing summary, no browser console output.
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: true })],
  browserLogs: false,
  testFramework: { config: { timeout: 5000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS },
    }),
  ],
}
