import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from './process.ts';
import { startRedis, type RedisServer } from './engines/redis.ts';

/** One signing key for every process of a cluster (tokens from one work on the others). */
const CLUSTER_SECRET = 'cluster-test-secret-0123456789abcdefghij';

export interface Cluster {
  redis: RedisServer;
  /** The Minga processes, in start order. */
  nodes: ServerProcess[];
  dataDir: string;
  /** Starts one more process on the same database and Redis. */
  addNode(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

/**
 * Several Minga processes (the server build, as `npm start` runs it) on their own ports, sharing
 * one database and one Redis of their own (issue 13). The database is one SQLite file in a temp
 * folder (WAL works across processes on one machine) unless `databaseUrl`, or the environment's
 * MINGA_CLUSTER_DATABASE_URL, names a PostgreSQL database, which they then share instead.
 * Compaction is off (COMPACT_EVERY_UPDATES high) while SQLite compaction trusts one process's doc.
 * Without redis-server this throws the engine helper's EngineMissingError with the apt-get hint.
 */
export async function startCluster(options: { nodes?: number; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<Cluster> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'minga-cluster-'));
  const databaseUrl = options.databaseUrl ?? process.env.MINGA_CLUSTER_DATABASE_URL;
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    MINGA_SECRET: CLUSTER_SECRET,
    COMPACT_EVERY_UPDATES: '1000000',
    ROOM_IDLE_UNLOAD_MS: '600000',
    FANOUT_HEAL_INTERVAL_MS: '500',
    LOG_LEVEL: 'info',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
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
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    redis,
    nodes,
    dataDir,
    addNode,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
