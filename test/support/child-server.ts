/**
 * The product server as a process of its own (`node --import tsx server/main.ts`), for tests
 * that kill it for real: SIGKILL gives no goodbye to storage or clients, SIGSTOP freezes it with
 * a request unanswered in its socket buffers.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ServerProcess {
  url: string
  port: number
  child: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>
  /** SIGSTOP: alive, holding its sockets, answering nothing. */
  freeze(): void
  /** SIGTERM (a graceful stop); resolves with the exit code. */
  stop(): Promise<number | null>
}

/**
 * Starts `server/main.ts` with `env` on top of ours (PORT 0 and no site unless given);
 * resolves once it listens.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STATIC_DIR: join(tmpdir(), 'chat-widget-no-site'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000)
    const read = (chunk: Buffer) => {
      output += chunk
      const found = /chat-widget server on (http:\/\/\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    exited.then((code) => reject(new Error(`server exited (${code}):\n${output}`)))
  })
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    freeze() {
      child.kill('SIGSTOP')
    },
    async stop() {
      child.kill('SIGTERM')
      return exited
    },
  }
}
