import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from './process.ts';
import { startPostgres, type PostgresServer } from './engines/postgres.ts';
import { startRedis, type RedisServer } from './engines/redis.ts';

/** One signing key for every process of a cluster (tokens from one work on the others). */
const CLUSTER_SECRET = 'cluster-test-secret-0123456789abcdefghij';

export interface Cluster {
  redis: RedisServer;
  /** The PostgreSQL server the cluster started (null when `databaseUrl` named one). */
  postgres: PostgresServer | null;
  databaseUrl: string;
  /** The Minga processes, in start order. */
  nodes: ServerProcess[];
  dataDir: string;
  /** Starts one more process on the same database and Redis. */
  addNode(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

/**
 * Several Minga processes (the server build, as `npm start` runs it) on their own ports, sharing
 * one PostgreSQL and one Redis of their own (issue 13), as docs/deploy.md runs them: a fresh
 * database on a PostgreSQL the cluster starts, unless `databaseUrl` names one. Compaction runs
 * often (every 50 updates), so the tests also cover compactions racing appends of another process.
 * Without postgresql or redis-server this throws the engine helper's EngineMissingError with the
 * apt-get hint.
 */
export async function startCluster(options: { nodes?: number; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<Cluster> {
  const postgres = options.databaseUrl ? null : await startPostgres();
  const databaseUrl = options.databaseUrl ?? (await postgres!.createDatabase('cluster'));
  const redis = await startRedis().catch(async (err: unknown) => {
    await postgres?.stop();
    throw err;
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'minga-cluster-'));
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
    MINGA_SECRET: CLUSTER_SECRET,
    COMPACT_EVERY_UPDATES: '50',
    ROOM_IDLE_UNLOAD_MS: '600000',
    FANOUT_HEAL_INTERVAL_MS: '500',
    LOG_LEVEL: 'info',
    ...options.env
  };
  const nodes: ServerProcess[] = [];
  // One after the other: the first migrates and seeds the shared database.
  const addNode = async () => {
    const node = await startServerProcess(dataDir, env);
    nodes.push(node);
    return node;
  };
  try {
    for (let i = 0; i < (options.nodes ?? 2); i++) await addNode();
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    redis,
    postgres,
    databaseUrl,
    nodes,
    dataDir,
    addNode,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
      await postgres?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
