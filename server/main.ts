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

// SIGTERM (orchestrators, `kill`) drains: health says `draining`, requests finish, then
// sockets close and their clients reconnect to another node. SIGINT (Ctrl-C) stops now.
// A second signal exits at once.
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    const stop = signal === 'SIGTERM' ? server.drain() : server.close()
    stop.then(
      () => process.exit(0),
      (err) => {
        server.log.error({ err }, 'stop failed')
        process.exit(1)
      },
    )
  })
}
