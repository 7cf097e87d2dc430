/**
 * Picks the storage: PostgreSQL when `DATABASE_URL` is a `postgres://` URL (several
 * nodes may share it), else SQLite in `DATA_DIR` (or in memory for tests).
 */
import type { ServerConfig } from '../config.ts'
import { openPostgresStorage } from './postgres.ts'
import { openSqliteStorage } from './sqlite.ts'
import type { Storage } from './types.ts'

export type { Storage } from './types.ts'

/** Opens and migrates the configured storage. */
export async function openStorage(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'inMemory'> &
    Partial<Pick<ServerConfig, 'sqliteSync'>>,
): Promise<Storage> {
  if (config.databaseUrl) return openPostgresStorage(config.databaseUrl)
  return openSqliteStorage({
    dataDir: config.dataDir,
    inMemory: config.inMemory,
    ...(config.sqliteSync && { sync: config.sqliteSync }),
  })
}
