import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { nowMicros, sleep } from './lib/clock.ts';
import { sampleProcess } from './lib/proc.ts';
import { Random } from './lib/random.ts';
import { SyncClient } from './load/client.ts';
import { BoardMirror } from './load/mirror.ts';
import { ideaText } from './load/people.ts';
import { minga } from './servers/minga.ts';
import type { Population, RunningServer } from './servers/types.ts';

/**
 * Board size: Minga boards of N ideas, each posted, edited once and moved once (3 updates per
 * idea, all kept in the update log), then loaded by a restarted server. Reports load time from the
 * log, server memory, compaction time and snapshot size (from the server's own log lines), load
 * time from the snapshot, and the export time of the board when the export route exists.
 */

export interface ExportTimes {
  docx: number;
  md: number;
  csv: number;
  json: number;
}

export interface BoardSizeResult {
  ideas: number;
  updates: number;
  /** Server-side load of the board from the update log (its `board loaded` log line). */
  loadMs: number;
  /** A client's connect → synced time for that first load. */
  clientSyncMs: number;
  /** Server RSS after the load (and the compaction it triggers). */
  rssMb: number;
  /** RSS growth from loading the board. */
  rssDeltaMb: number;
  compactionMs: number | null;
  snapshotBytes: number | null;
  /** Load of the same board once compacted into a snapshot. */
  snapshotLoadMs: number | null;
  /** `GET /api/boards/:id/export.<format>` per format; null when the export failed. */
  exportMs: ExportTimes | null;
}

const WRITERS = 20;
const SEND_BATCH = 200;
const BUILD_ENV = { COMPACT_EVERY_UPDATES: '1000000', MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' };

export async function boardSize(ideas: number, options: { seed: number; exportIdeas: number; log: (line: string) => void }): Promise<BoardSizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-board-'));
  let server: RunningServer = await minga.start({ dir, env: BUILD_ENV });
  const port = new URL(server.httpUrl).port;
  try {
    const population = (await server.populate({ boards: 1, editorsPerBoard: WRITERS, seed: options.seed })) as Population & { facilitatorToken: string };
    const built = performance.now();
    await buildBoard(population, ideas, options.seed);
    options.log(`  board of ${ideas} ideas built in ${Math.round(performance.now() - built)} ms`);
    // kill -9 keeps the log as it is (a graceful stop would compact it).
    await server.kill9();

    server = await minga.start({ dir, env: { PORT: port, LOG_LEVEL: 'info' } });
    const rss0 = sampleProcess(server.pid)?.rssMb ?? 0;
    const clientSyncMs = await timeSync(population);
    const loaded = await logLine(server, 'board loaded');
    const compacted = ideas * 3 >= 500 ? await logLine(server, 'compaction finished').catch(() => null) : null;
    await sleep(200);
    const rssMb = sampleProcess(server.pid)?.rssMb ?? 0;
    const exportMs = ideas === options.exportIdeas ? await timeExport(server, population) : null;
    await server.kill9();

    let snapshotLoadMs: number | null = null;
    if (compacted) {
      server = await minga.start({ dir, env: { PORT: port, LOG_LEVEL: 'info' } });
      await timeSync(population);
      snapshotLoadMs = Number((await logLine(server, 'board loaded')).ms);
    }
    return {
      ideas,
      updates: Number(loaded.updates ?? 0),
      loadMs: Number(loaded.ms),
      clientSyncMs,
      rssMb,
      rssDeltaMb: rssMb - rss0,
      compactionMs: compacted ? Number(compacted.ms) : null,
      snapshotBytes: compacted ? Number(compacted.snapshotBytes) : null,
      snapshotLoadMs,
      exportMs
    };
  } finally {
    await server.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Posts, edits and moves `ideas` ideas through the server. Each phase waits until a fresh client
 * sees the previous one: writers use separate sockets, and a move must not reach the server
 * before the idea it moves.
 */
async function buildBoard(population: Population, ideas: number, seed: number): Promise<void> {
  const rng = new Random(seed + ideas);
  const board = population.boards[0]!;
  const mirror = new BoardMirror();
  const denials: string[] = [];
  const writers = population.seats.map((seat) => ({
    seat,
    clientId: rng.clientId(),
    client: new SyncClient('y-websocket', seat.url, board.docName, { onDenied: (reason) => denials.push(reason) })
  }));
  await Promise.all(writers.map((w) => w.client.synced));
  const ids: string[] = [];
  const send = async (i: number, change: (doc: Y.Doc) => void) => {
    const w = writers[i % writers.length]!;
    const update = mirror.write(w.clientId, change);
    if (update) w.client.sendUpdate(update);
    if (i % SEND_BATCH === SEND_BATCH - 1) await sleep(5);
  };
  const ideasWhere = (test: (idea: Y.Map<unknown>) => boolean) => async () => {
    const doc = await readBoard(population);
    let n = 0;
    for (const idea of doc.getMap('ideas').values()) if (test(idea as Y.Map<unknown>)) n++;
    doc.destroy();
    if (denials.length > 0) throw new Error(`board build refused: ${denials[0]}`);
    return n;
  };
  for (let i = 0; i < ideas; i++) {
    const id = rng.id(12);
    ids.push(id);
    const { seat } = writers[i % writers.length]!;
    const text = ideaText(rng, 'Ovalle');
    await send(i, (doc) => {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(id, idea);
      idea.set('text', text);
      idea.set('questionId', rng.pick(board.questionIds));
      idea.set('clusterId', null);
      idea.set('authorId', seat.participantId);
      idea.set('authorName', seat.name);
      idea.set('sector', seat.sector);
      idea.set('createdAt', Date.now());
    });
  }
  await waitFor('posts', ideas, ideasWhere(() => true));
  for (let i = 0; i < ideas; i++) {
    await send(i, (doc) => {
      const idea = doc.getMap('ideas').get(ids[i]!) as Y.Map<unknown>;
      idea.set('text', `${String(idea.get('text'))} (editada)`);
    });
  }
  await waitFor('edits', ideas, ideasWhere((idea) => String(idea.get('text')).endsWith('(editada)')));
  for (let i = 0; i < ideas; i++) {
    // Anyone may move any idea: a different writer moves it.
    await send(i + 1, (doc) => (doc.getMap('ideas').get(ids[i]!) as Y.Map<unknown>).set('clusterId', rng.pick(board.clusterIds)));
  }
  await waitFor('moves', ideas, ideasWhere((idea) => idea.get('clusterId') !== null));
  for (const w of writers) w.client.close();
  mirror.doc.destroy();
}

async function waitFor(what: string, want: number, count: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const n = await count();
    if (n >= want) return;
    if (Date.now() > deadline) throw new Error(`board build: ${n}/${want} ${what} after 120 s`);
    await sleep(300);
  }
}

async function readBoard(population: Population): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const reader = new SyncClient('y-websocket', population.seats[0]!.url, population.boards[0]!.docName, { onSyncStep2: (u) => Y.applyUpdate(doc, u) });
  await reader.synced;
  reader.close();
  return doc;
}

async function timeSync(population: Population): Promise<number> {
  const started = nowMicros();
  const client = new SyncClient('y-websocket', population.seats[0]!.url, population.boards[0]!.docName);
  await client.synced;
  client.close();
  return (nowMicros() - started) / 1000;
}

/** The first JSON log line whose `msg` is `msg`, printed after the server started. */
async function logLine(server: RunningServer, msg: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const line of server.output().split('\n')) {
      if (!line.includes(`"msg":"${msg}"`)) continue;
      return JSON.parse(line) as Record<string, unknown>;
    }
    if (Date.now() > deadline) throw new Error(`no "${msg}" log line`);
    await sleep(50);
  }
}

/** Time of each export format (ms, request to last byte), DOCX first as a team downloads it. */
async function timeExport(server: RunningServer, population: Population & { facilitatorToken: string }): Promise<ExportTimes | null> {
  const times: Partial<ExportTimes> = {};
  for (const format of ['docx', 'md', 'csv', 'json'] as const) {
    const started = performance.now();
    const res = await fetch(`${server.httpUrl}/api/boards/${population.boards[0]!.boardId}/export.${format}`, {
      headers: { authorization: `Bearer ${population.facilitatorToken}` }
    });
    await res.arrayBuffer();
    if (!res.ok) return null;
    times[format] = Math.round((performance.now() - started) * 10) / 10;
  }
  return times as ExportTimes;
}
