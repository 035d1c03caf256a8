import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { integrityOf, listBackups } from '../db/backup.ts';
import { SqliteBoardStorage } from '../server/src/sync/storage/sqlite-board-storage.ts';
import { replayStored } from '../server/src/sync/extensions/replay.ts';
import { nowMicros, sleep } from './lib/clock.ts';
import { Random } from './lib/random.ts';
import { SyncClient } from './load/client.ts';
import { LoadGenerator } from './load/generator.ts';
import { markerIn } from './load/marker.ts';
import { DEFAULT_BEHAVIOUR, type Behaviour, type DurableWrite, type WorkerReport } from './load/protocol.ts';
import { SERVERS } from './measure.ts';
import type { Population, RunningServer, ServerName } from './servers/types.ts';

/**
 * Durability under load: editors on one board, `kill -9` of the server at a random moment, restart
 * on the same data, and count the updates that some client saw but that the restarted server no
 * longer has. Ideas and their text edits carry markers, so each seen write can be checked; every
 * other write (moves, the server's vote writes) is checked by its Yjs clock.
 *
 * With `faults` (Minga), some rounds kill the server while a compaction transaction is held open
 * (`MINGA_FAULT_COMPACTION_HOLD_MS`) or while a backup is copying the database
 * (`MINGA_FAULT_BACKUP_STEP_HOLD_MS`, started with SIGUSR2), and after every kill the crashed files
 * themselves are checked: `PRAGMA integrity_check`, and a replay of every doc's log (snapshot, then
 * each row in order) into a fresh Y.Doc.
 *
 * Each round opens fresh clients (new Yjs clientIDs): what a round measures is what the server
 * kept. Clients that carry offline edits across a restart (fields overwritten while the server was
 * down, sent as deleted content on reconnect) are covered by tests/unit/offline-edits*.test.ts and
 * tests/browser/offline-recovery.test.ts.
 */

export type RoundKind = 'load' | 'compaction' | 'backup';

export interface DurabilityRound {
  round: number;
  kind: RoundKind;
  /** From the start of the load to the kill. */
  killAfterMs: number;
  /** Marked writes (posts, text edits) that some client other than the writer received. */
  seenWrites: number;
  /** Seen marked writes missing after the restart, plus seen Yjs clients whose clock went back. */
  lostUpdates: number;
  /** Yjs structs (clock units, every kind of write) received by a client other than the writer. */
  seenStructs: number;
  /** Of those, missing from the restarted server's board or from the replayed log. */
  lostStructs: number;
  refused: number;
  /** From the kill to a client holding the synced board again (restart included). */
  recoveryMs: number;
  /** Minga: `PRAGMA integrity_check` of the crashed files, and replay errors of their log. */
  integrity?: string;
  replayErrors?: number;
  logRows?: number;
  /** Backup rounds: whether the kill interrupted the copy, and how many complete copies there are (all checked). */
  backup?: { started: boolean; interrupted: boolean; complete: number; completeOk: boolean };
}

export interface DurabilityResult {
  server: ServerName;
  editors: number;
  rounds: DurabilityRound[];
  lostUpdates: number;
  lostStructs: number;
  replayErrors: number;
  integrityFailures: number;
  recoveryMsP50: number;
}

export interface DurabilityOptions {
  rounds: number;
  editors: number;
  workers: number;
  seed: number;
  log: (line: string) => void;
  /** Minga only: rounds killed during a compaction and during a backup, and checks of the crashed files. */
  faults?: boolean;
  behaviour?: Behaviour;
  /** Random kill moment of a `load` round, ms after the load starts. */
  killWindowMs?: [number, number];
  env?: Record<string, string>;
}

const KILL_WINDOW_MS: [number, number] = [1_500, 4_000];
const CONNECT_ATTEMPTS = 3;
/** A compaction round compacts once this many more updates have been stored. */
const COMPACTION_AFTER_UPDATES = 60;
const COMPACTION_HOLD_MS = 4_000;
/** A backup round's copy is slowed down to take at least this long. */
const BACKUP_MIN_MS = 2_500;

/**
 * 50 writers busier than a workshop (an idea every 2 s each, edits and moves every 3 s, a vote every
 * 6 s): ~70 updates/s, so a round of a few seconds writes enough to lose.
 */
export const CRASH_BEHAVIOUR: Behaviour = { ideaEverySec: 2, editEverySec: 3, moveEverySec: 3, voteEverySec: 6, cursorHz: 0, presenceEverySec: 15 };

/** One round in five kills during a compaction and one during a backup (with faults on). */
export const roundKind = (round: number, faults: boolean): RoundKind =>
  !faults ? 'load' : round % 5 === 2 ? 'compaction' : round % 5 === 4 ? 'backup' : 'load';

/** Env that brings a restarted server back on the port its clients know. */
const samePort = (server: ServerName, port: string): Record<string, string> =>
  server === 'hocuspocus' ? { HOCUSPOCUS_PORT: port } : { PORT: port };

export async function durability(serverName: ServerName, options: DurabilityOptions): Promise<DurabilityResult> {
  const faults = (options.faults ?? false) && serverName === 'minga';
  const dir = mkdtempSync(join(tmpdir(), `minga-bench-durability-${serverName}-`));
  const backupDir = join(dir, 'backups');
  const bench = SERVERS[serverName];
  const rng = new Random(options.seed + 17);
  const window = options.killWindowMs ?? KILL_WINDOW_MS;
  const between = ([lo, hi]: [number, number]) => Math.round(lo + rng.next() * (hi - lo));
  let crashed: CrashedFiles | null = null;
  /** What the server started for `round` needs to carry. */
  const envFor = (round: number): Record<string, string> => {
    const kind = roundKind(round, faults);
    if (kind === 'compaction') {
      const stored = crashed?.rowsSinceSnapshot ?? 0;
      return { COMPACT_EVERY_UPDATES: String(stored + COMPACTION_AFTER_UPDATES), MINGA_FAULT_COMPACTION_HOLD_MS: String(COMPACTION_HOLD_MS) };
    }
    if (kind === 'backup') {
      const pages = Math.max(1, crashed?.pages ?? 100);
      // Info level: the backup's own log lines ('backup failed' included) are in the output.
      return { BACKUP_DIR: backupDir, MINGA_FAULT_BACKUP_STEP_HOLD_MS: String(Math.min(50, Math.ceil(BACKUP_MIN_MS / pages))), LOG_LEVEL: 'info' };
    }
    return {};
  };
  let server: RunningServer = await bench.start({ dir, env: { ...options.env, ...envFor(1) } });
  const port = new URL(server.httpUrl).port;
  const rounds: DurabilityRound[] = [];
  let generator: LoadGenerator | null = null;
  try {
    const population = await server.populate({ boards: 1, editorsPerBoard: options.editors, seed: options.seed });
    const boardId = population.boards[0]!.boardId;
    for (let round = 1; round <= options.rounds; round++) {
      const kind = roundKind(round, faults);
      // Fresh clients every round (new clientIDs), in the same worker processes. On a starved
      // machine a connection may time out: that is the harness failing, not the server, so retry.
      const seed = options.seed + round * 1000;
      for (let attempt = 1; ; attempt++) {
        try {
          if (generator) await generator.reset(seed);
          else generator = await LoadGenerator.launch(population, { workers: options.workers, behaviour: options.behaviour ?? DEFAULT_BEHAVIOUR, seed, trackSeen: true });
          break;
        } catch (err) {
          if (attempt >= CONNECT_ATTEMPTS) throw err;
          options.log(`  round ${round}: clients could not connect (${(err as Error).message.split('\n')[0]}); trying again`);
        }
      }
      const startedAt = performance.now();
      generator.start();
      let backupFiles: string[] = [];
      let backupStarted = false;
      if (kind === 'compaction') {
        await server.waitFor!(/compaction transaction held open/, 60_000);
        await sleep(between([0, COMPACTION_HOLD_MS / 2]));
      } else if (kind === 'backup') {
        await sleep(between([300, 1_000]));
        backupFiles = listBackups(backupDir);
        process.kill(server.pid, 'SIGUSR2');
        // If the backup does not start, the round says so (and fails its check) rather than the run.
        backupStarted = await server.waitFor!(/backup under way|backup failed/, 60_000).then(
          (m) => m[0] === 'backup under way',
          () => false
        );
        if (!backupStarted) options.log(`  round ${round}: the backup did not start; server output:\n${server.output().slice(-3000)}`);
        else await sleep(between([50, BACKUP_MIN_MS / 2]));
      } else {
        await sleep(between(window));
      }
      const killAfterMs = Math.round(performance.now() - startedAt);
      await server.kill9();
      const killedAt = nowMicros();
      const reports = await generator.halt();
      let backup: DurabilityRound['backup'];
      if (kind === 'backup') {
        const complete = listBackups(backupDir);
        backup = {
          started: backupStarted,
          interrupted: backupStarted && complete.length === backupFiles.length,
          complete: complete.length,
          completeOk: complete.every((f) => integrityOf(f) === 'ok')
        };
      }
      if (faults) crashed = inspectCrashedFiles(dir, [boardId]);
      server = await bench.start({ dir, env: { ...options.env, ...envFor(round + 1), ...samePort(serverName, port) } });
      const doc = await syncBoard(population, 0);
      const recoveryMs = (nowMicros() - killedAt) / 1000;
      const { seen, lost } = countLost(reports, [doc]);
      const structs = countLostStructs(reports, stateOf([doc]));
      // The replayed crashed log must hold every seen struct too (missing board: all of them lost).
      if (crashed) structs.lost += countLostStructs(reports, stateOf([...crashed.boards.values()])).lost;
      doc.destroy();
      for (const d of crashed?.boards.values() ?? []) d.destroy();
      const refused = reports.reduce((a, r) => a + r.refused, 0);
      const r: DurabilityRound = {
        round,
        kind,
        killAfterMs,
        seenWrites: seen,
        lostUpdates: lost,
        seenStructs: structs.seen,
        lostStructs: structs.lost,
        refused,
        recoveryMs,
        ...(crashed ? { integrity: crashed.integrity, replayErrors: crashed.replayErrors, logRows: crashed.rows } : {}),
        ...(backup ? { backup } : {})
      };
      rounds.push(r);
      options.log(
        `  ${serverName} durability round ${round} (${kind}): killed after ${killAfterMs} ms, ${seen} writes seen, ${lost} lost, ` +
          `${structs.seen} structs seen, ${structs.lost} lost` +
          (crashed ? `, integrity ${crashed.integrity}, ${crashed.rows} rows replayed with ${crashed.replayErrors} errors` : '') +
          (backup ? `, backup ${backup.interrupted ? 'interrupted' : 'finished first'} (${backup.complete} complete, ${backup.completeOk ? 'ok' : 'FAILED integrity_check'})` : '') +
          `${refused ? `, ${refused} REFUSED` : ''}, serving again after ${Math.round(recoveryMs)} ms`
      );
    }
  } finally {
    await generator?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const recoveries = rounds.map((r) => r.recoveryMs).sort((a, b) => a - b);
  const sum = (f: (r: DurabilityRound) => number) => rounds.reduce((a, r) => a + f(r), 0);
  return {
    server: serverName,
    editors: options.editors,
    rounds,
    lostUpdates: sum((r) => r.lostUpdates),
    lostStructs: sum((r) => r.lostStructs),
    replayErrors: sum((r) => r.replayErrors ?? 0),
    integrityFailures: rounds.filter((r) => r.integrity !== undefined && r.integrity !== 'ok').length,
    recoveryMsP50: recoveries[Math.floor((recoveries.length - 1) / 2)] ?? 0
  };
}

/** Opens a board (by index) as a fresh client and returns the synced doc. */
export async function syncBoard(population: Population, boardIndex: number): Promise<Y.Doc> {
  const seat = population.seats.find((s) => s.board === boardIndex)!;
  const board = population.boards[boardIndex]!;
  const doc = new Y.Doc();
  const client = new SyncClient(population.protocol, seat.url, board.docName, { onSyncStep2: (update) => Y.applyUpdate(doc, update) });
  try {
    await client.synced;
  } finally {
    client.close();
  }
  return doc;
}

interface CrashedFiles {
  integrity: string;
  /** Docs (boards, private docs) whose stored log did not replay. */
  replayErrors: number;
  /** Rows in board_updates, all docs. */
  rows: number;
  /** Of the given boards, the most rows after a snapshot. */
  rowsSinceSnapshot: number;
  pages: number;
  /** The given boards as their logs replay (a board that did not replay is missing). */
  boards: Map<string, Y.Doc>;
}

/**
 * Checks the database exactly as the kill left it, on a copy (the restarted server recovers the
 * original): integrity, and every doc's log replayed in order into a fresh Y.Doc.
 */
export function inspectCrashedFiles(dir: string, boardIds: string[]): CrashedFiles {
  const check = mkdtempSync(join(tmpdir(), 'minga-crashed-'));
  try {
    // The WAL holds the last commits; the -shm index is rebuilt from it.
    for (const f of ['minga.db', 'minga.db-wal']) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(check, f));
    const db = new Database(join(check, 'minga.db'));
    try {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      const log = new SqliteBoardStorage(db);
      const docIds = db.prepare<[], string>('SELECT board_id FROM board_updates UNION SELECT board_id FROM board_snapshots').pluck().all();
      let replayErrors = 0;
      const boards = new Map<string, Y.Doc>();
      for (const docId of docIds) {
        const doc = new Y.Doc();
        try {
          replayStored(doc, log.loadNow(docId), null);
          if (boardIds.includes(docId)) boards.set(docId, doc);
          else doc.destroy();
        } catch {
          replayErrors++;
          doc.destroy();
        }
      }
      return {
        integrity,
        replayErrors,
        rows: db.prepare<[], number>('SELECT count(*) FROM board_updates').pluck().get()!,
        rowsSinceSnapshot: Math.max(0, ...boardIds.map((id) => log.loadNow(id).updates.length)),
        pages: db.pragma('page_count', { simple: true }) as number,
        boards
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(check, { recursive: true, force: true });
  }
}

/**
 * A seen post is lost if its idea is gone; a seen edit is lost if the idea's text is older than
 * it (only the author edits a text, so versions are ordered).
 */
export function countLost(reports: WorkerReport[], docs: Y.Doc[]): { seen: number; lost: number } {
  const writes = new Map<number, DurableWrite>();
  for (const r of reports) for (const w of r.writes ?? []) writes.set(w.writeId, w);
  const seenByIdea = new Map<string, number[]>();
  let seen = 0;
  for (const id of new Set(reports.flatMap((r) => r.seen ?? []))) {
    const w = writes.get(id);
    if (!w) continue;
    seen++;
    const list = seenByIdea.get(w.ideaId) ?? [];
    list.push(w.version);
    seenByIdea.set(w.ideaId, list);
  }
  let lost = 0;
  for (const [ideaId, versions] of seenByIdea) {
    const idea = docs.map((d) => d.getMap('ideas').get(ideaId) as Y.Map<unknown> | undefined).find(Boolean);
    if (!idea) {
      lost += versions.length;
      continue;
    }
    const mark = markerIn(String(idea.get('text') ?? ''));
    const stored = mark ? writes.get(mark.writeId)?.version ?? -1 : -1;
    lost += versions.filter((v) => v > stored).length;
  }
  return { seen, lost };
}

/** Per Yjs clientID, the highest clock stored in any of `docs` (a workshop's boards: each client writes on one). */
export function stateOf(docs: Y.Doc[]): Map<number, number> {
  const state = new Map<number, number>();
  for (const doc of docs) for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) state.set(client, Math.max(clock, state.get(client) ?? 0));
  return state;
}

/**
 * Every write, whatever it did: a struct that a client other than its writer received must be
 * stored (the server integrates a client's structs in clock order, so the seen clock of a client
 * must not exceed the stored one). Counted in structs (clock units).
 */
export function countLostStructs(reports: WorkerReport[], stored: Map<number, number>): { seen: number; lost: number } {
  const seen = new Map<number, number>();
  for (const r of reports) for (const [client, clock] of r.seenClocks ?? []) seen.set(client, Math.max(clock, seen.get(client) ?? 0));
  let lost = 0;
  for (const [client, clock] of seen) lost += Math.max(0, clock - (stored.get(client) ?? 0));
  return { seen: [...seen.values()].reduce((a, c) => a + c, 0), lost };
}
