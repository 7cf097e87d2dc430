/** How the bench configures our server so that its load is not refused (said in the output). */
import { parseRule } from '../server/limits/rate-limits.ts'

/** Nothing the bench sends may be refused: a million per second per socket and per IP. */
const OPEN = parseRule('1000000/1')
export const BENCH_AGENT_TOKEN = 'bench-agent-token'
export const BENCH_OVERRIDES = {
  demoAgentToken: BENCH_AGENT_TOKEN,
  maxConnectionsPerIp: 100_000,
  rateLimits: {
    request: { socket: OPEN, ip: OPEN },
    message: { socket: OPEN, ip: OPEN },
    typing: { socket: OPEN, ip: OPEN },
    upload: { socket: OPEN, ip: OPEN },
  },
}

/** The same as environment variables, for `server/main.ts` nodes (the cluster part). */
export const BENCH_ENV = {
  MAX_CONNECTIONS_PER_IP: '100000',
  DEMO_AGENT_TOKEN: BENCH_AGENT_TOKEN,
  ...Object.fromEntries(
    [
      'RATE_REQUESTS_PER_SOCKET',
      'RATE_REQUESTS_PER_IP',
      'RATE_MESSAGES_PER_SOCKET',
      'RATE_MESSAGES_PER_IP',
      'RATE_TYPING_PER_SOCKET',
      'RATE_TYPING_PER_IP',
      'RATE_UPLOADS_PER_SOCKET',
      'RATE_UPLOADS_PER_IP',
    ].map((name) => [name, '1000000/1']),
  ),
}
