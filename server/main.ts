/** Entry point: `tsx server/main.ts`. Reads the environment, starts, prints where to go. */
import { createChatServer } from './app.ts'
import { loadConfig } from './config.ts'

const config = loadConfig()
const server = await createChatServer(config)

console.log(`
  chat-widget server on ${server.url}
    demo page      ${server.url}/
    agent console  ${server.url}/console
    site key       ${server.demo.key}
    agent token    ${server.demo.agentToken}
`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
