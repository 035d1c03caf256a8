import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Synchronous } from '../../db/client.ts';
import { MAX_BOARD_BYTES } from '../../contract/board-document.ts';
import { BROADCAST_INTERVAL_MS, type BroadcastPacing, type PresenceRenewals } from './sync/wire-cadence.ts';

/** Everything the process reads from its environment, checked once at boot. */
export interface Config {
  port: number;
  host: string;
  databasePath: string;
  synchronous: Synchronous;
  /**
   * `DATABASE_URL` (postgres://…): every store on PostgreSQL instead of the SQLite file at
   * `databasePath`, so several Minga processes can share it (docs/deploy.md). null: SQLite.
   */
  databaseUrl: string | null;
  /** `REDIS_URL` (redis://…): fan-out between Minga processes through Redis. null: one process. */
  redisUrl: string | null;
  /** With Redis: each loaded room publishes its state vector this often (ms) so a missed message heals; 0: never. */
  fanoutHealIntervalMs: number;
  /** Token signing key (raw bytes). */
  secret: Buffer;
  /** Extra origins allowed to open the sockets, besides the app's own. */
  allowedOrigins: string[];
  logLevel: string;
  /** The address people open (join links, QR codes); derived from the request when null. */
  publicUrl: string | null;
  /** Where the built web app lives; null serves only the API. */
  webRoot: string | null;
  maxMessageBytes: number;
  compactEveryUpdates: number;
  /** Participants' updates to a board are refused once this much is stored for it (bytes). */
  maxBoardBytes: number;
  voteBudget: number;
  participantTokenTtlMs: number;
  facilitatorTokenTtlMs: number;
  /**
   * Socket messages a participant (token subject) may send per second on average, and as a
   * burst, over all their sockets of one plane and across reconnects (a new socket costs one).
   */
  messagesPerSecond: number;
  messageBurst: number;
  /** The same for all sockets from one address (a room behind one router shares it). */
  ipMessagesPerSecond: number;
  ipMessageBurst: number;
  /** REST requests per address per minute (429 past them). */
  rateLimits: RestRateLimits;
  /** Reverse proxies in front of the server whose X-Forwarded-For is trusted (0: none). */
  trustProxyHops: number;
  /** Idle time after the last connection leaves before a room is compacted and unloaded. */
  roomIdleUnloadMs: number;
  /** One transaction and one broadcast per room per event-loop tick (off: one per update). */
  batchWrites: boolean;
  /** Presence broadcast interval per room (ms). */
  awarenessIntervalMs: number;
  /** Upper bound (ms) of the pause between two content broadcasts of a busy room. */
  broadcastIntervalMs: number;
  /** `fixed-pause`: the broadcast pause of before issue 10 (bench/ compares; never in production). */
  broadcastPacing: BroadcastPacing;
  /** `relay-all`: every presence renewal relayed as it comes, as before issue 10 (bench/ compares). */
  presenceRenewals: PresenceRenewals;
  /**
   * Fault injection for crash tests only: hold the compaction transaction open this long before
   * commit, so a test can `kill -9` the process mid-compaction. 0 in production.
   */
  compactionHoldMs: number;
  /** Online backups by the server itself every this many minutes; 0: none (see `npm run backup`). */
  backupEveryMinutes: number;
  /** Where backups go (scheduled ones and `npm run backup`); null with an in-memory database. */
  backupDir: string | null;
  /** Scheduled backups keep the newest this many files of `backupDir`. */
  backupKeep: number;
  /**
   * Fault injection for crash tests only: a backup copies one page per step and waits this long
   * (ms) in each, so a test can `kill -9` the process while one runs. 0 in production.
   */
  backupStepHoldMs: number;
  /** Log `event loop stalled` (with what ran) when the loop was blocked this long, ms; 0: off. */
  loopStallWarnMs: number;
  /** Log `process stats` (heap, RSS, WAL size, loop delay) this often, ms; 0: off. */
  statsLogEveryMs: number;
  /**
   * The suggestions engine (stemmer, stop words, clustering) is loaded this long after the server
   * starts listening, ms: off the restart's path (issue 10), but before anyone asks for suggestions,
   * whose first request would otherwise pay ~0.2 s for the loading.
   */
  suggestionsWarmupMs: number;
}

export interface RestRateLimits {
  /** Any /api route without a tighter limit of its own. */
  apiPerMinute: number;
  workshopCreationsPerMinute: number;
  joinsPerMinute: number;
  /** Lookups (or joins) of a code that does not exist: what guessing codes looks like. */
  codeMissesPerMinute: number;
}

/** The window of the REST limits (ms). */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export const MAX_MESSAGE_BYTES = 1_048_576;
/**
 * The body of `POST /api/workshops`, past the 64 KiB of every other route: eight challenges of
 * its own at their bounds are 60,000 characters, up to 6 bytes each in JSON (`\u0001`).
 */
export const CREATE_WORKSHOP_BODY_BYTES = 524_288;
export const COMPACT_EVERY_UPDATES = 500;
export const VOTE_BUDGET = 5;
const DAY_MS = 86_400_000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Reads the signing key from MINGA_SECRET, or from `<data folder>/secret` (created with 0600
 * permissions on first start). Never hard-coded.
 */
export function resolveSecret(env: NodeJS.ProcessEnv, databasePath: string): Buffer {
  if (env.MINGA_SECRET) {
    if (env.MINGA_SECRET.length < 32) throw new ConfigError('MINGA_SECRET must be at least 32 characters');
    return Buffer.from(env.MINGA_SECRET, 'utf8');
  }
  const dataDir = databasePath === ':memory:' ? null : dirname(databasePath);
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length < 32) throw new ConfigError(`${file} is too short to be a signing key`);
    return Buffer.from(stored, 'utf8');
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return Buffer.from(secret, 'utf8');
}

/** The origin (scheme, host, port) of an http(s) URL. */
function parseOrigin(key: string, raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return url.origin;
  } catch {
    throw new ConfigError(`${key} must be http(s) URLs, got "${raw}"`);
  }
}

const parsePublicUrl = (raw: string | undefined): string | null => (raw ? parseOrigin('PUBLIC_URL', raw) : null);

/** The database file and where its backups go: read by the server and by `npm run backup`. */
export function storagePaths(env: NodeJS.ProcessEnv, cwd: string): { databasePath: string; backupDir: string | null } {
  const rawPath = env.DATABASE_PATH ?? 'data/minga.db';
  const databasePath = rawPath === ':memory:' ? rawPath : resolve(cwd, rawPath);
  const backupDir = env.BACKUP_DIR ? resolve(cwd, env.BACKUP_DIR) : databasePath === ':memory:' ? null : join(dirname(databasePath), 'backups');
  return { databasePath, backupDir };
}

export const BACKUP_KEEP = 24;

/** An engine's URL from the environment (null when unset or empty), refused unless its scheme is one of `schemes`. */
function parseEngineUrl(name: string, raw: string | undefined, schemes: readonly string[]): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!schemes.includes(url.protocol)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${env.SQLITE_SYNCHRONOUS}"`);
  }
  const { databasePath, backupDir } = storagePaths(env, cwd);
  const databaseUrl = parseEngineUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);
  const redisUrl = parseEngineUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']);
  // Processes that share a database must sign tokens alike: a key file beside SQLite is not shared.
  if (databaseUrl && !env.MINGA_SECRET) throw new ConfigError('MINGA_SECRET must be set when DATABASE_URL is (every process must share it)');
  const webRoot = env.MINGA_WEB_ROOT === '' ? null : resolve(cwd, env.MINGA_WEB_ROOT ?? 'web/build');
  return {
    port: int(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST ?? '127.0.0.1',
    databasePath,
    synchronous,
    databaseUrl,
    redisUrl,
    secret: resolveSecret(env, databasePath),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseOrigin('ALLOWED_ORIGINS', s)),
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    webRoot,
    maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES', MAX_MESSAGE_BYTES, 1024, 64 * MAX_MESSAGE_BYTES),
    compactEveryUpdates: int(env, 'COMPACT_EVERY_UPDATES', COMPACT_EVERY_UPDATES, 1, 1_000_000),
    maxBoardBytes: int(env, 'MAX_BOARD_BYTES', MAX_BOARD_BYTES, 65_536, 2 ** 32),
    voteBudget: int(env, 'VOTE_BUDGET', VOTE_BUDGET, 1, 100),
    participantTokenTtlMs: int(env, 'PARTICIPANT_TOKEN_DAYS', 30, 1, 3650) * DAY_MS,
    facilitatorTokenTtlMs: int(env, 'FACILITATOR_TOKEN_DAYS', 365, 1, 3650) * DAY_MS,
    messagesPerSecond: int(env, 'MESSAGES_PER_SECOND', 50, 1, 100_000),
    messageBurst: int(env, 'MESSAGE_BURST', 400, 1, 1_000_000),
    ipMessagesPerSecond: int(env, 'IP_MESSAGES_PER_SECOND', 2_000, 1, 1_000_000),
    ipMessageBurst: int(env, 'IP_MESSAGE_BURST', 10_000, 1, 10_000_000),
    rateLimits: {
      apiPerMinute: int(env, 'API_REQUESTS_PER_MINUTE', 600, 1, 10_000_000),
      workshopCreationsPerMinute: int(env, 'WORKSHOP_CREATIONS_PER_MINUTE', 30, 1, 10_000_000),
      joinsPerMinute: int(env, 'JOINS_PER_MINUTE', 120, 1, 10_000_000),
      codeMissesPerMinute: int(env, 'CODE_MISSES_PER_MINUTE', 30, 1, 10_000_000)
    },
    trustProxyHops: int(env, 'TRUST_PROXY', 0, 0, 10),
    roomIdleUnloadMs: int(env, 'ROOM_IDLE_UNLOAD_MS', 60_000, 0, 86_400_000),
    fanoutHealIntervalMs: int(env, 'FANOUT_HEAL_INTERVAL_MS', 5_000, 0, 3_600_000),
    batchWrites: (env.MINGA_BATCH_WRITES ?? 'on') !== 'off',
    awarenessIntervalMs: int(env, 'AWARENESS_INTERVAL_MS', 50, 0, 5_000),
    broadcastIntervalMs: int(env, 'BROADCAST_INTERVAL_MS', BROADCAST_INTERVAL_MS, 0, 1_000),
    broadcastPacing: env.MINGA_BROADCAST_PACING === 'fixed-pause' ? 'fixed-pause' : 'token-bucket',
    presenceRenewals: env.MINGA_PRESENCE_RENEWALS === 'relay-all' ? 'relay-all' : 'paced',
    compactionHoldMs: int(env, 'MINGA_FAULT_COMPACTION_HOLD_MS', 0, 0, 60_000),
    backupEveryMinutes: int(env, 'BACKUP_EVERY_MINUTES', 0, 0, 10_080),
    backupDir,
    backupKeep: int(env, 'BACKUP_KEEP', BACKUP_KEEP, 1, 10_000),
    backupStepHoldMs: int(env, 'MINGA_FAULT_BACKUP_STEP_HOLD_MS', 0, 0, 10_000),
    loopStallWarnMs: int(env, 'LOOP_STALL_WARN_MS', 200, 0, 60_000),
    statsLogEveryMs: int(env, 'STATS_LOG_EVERY_SECONDS', 0, 0, 86_400) * 1000,
    suggestionsWarmupMs: int(env, 'SUGGESTIONS_WARMUP_MS', 5_000, 0, 3_600_000)
  };
}
