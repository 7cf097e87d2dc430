/** How the bench configures our server so that its load is not refused (said in the output). */
import { NO_LIMITS } from '../test/support/server.ts'

/** Nothing the bench sends may be refused: no connection cap, a million per second. */
export const BENCH_AGENT_TOKEN = 'bench-agent-token'
export const BENCH_OVERRIDES = {
  demoAgentToken: BENCH_AGENT_TOKEN,
  // `BENCH_LIMITS=default` (the sockets part) keeps the server's own limits.
  ...(process.env.BENCH_LIMITS !== 'default' && NO_LIMITS),
  // `SQLITE_SYNC=full npm run bench -- latency` measures the fsync-per-commit setting.
  ...(process.env.SQLITE_SYNC === 'full' && { sqliteSync: 'full' as const }),
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
