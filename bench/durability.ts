import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { nowMicros, sleep } from './lib/clock.ts';
import { Random } from './lib/random.ts';
import { SyncClient } from './load/client.ts';
import { LoadGenerator } from './load/generator.ts';
import { markerIn } from './load/marker.ts';
import { DEFAULT_BEHAVIOUR, type DurableWrite, type WorkerReport } from './load/protocol.ts';
import { SERVERS } from './measure.ts';
import type { Population, RunningServer, ServerName } from './servers/types.ts';

/**
 * Durability under load: editors on one board, `kill -9` of the server at a random moment, restart
 * on the same data, and count the updates that some client saw but that the restarted server no
 * longer has. Ideas and their text edits carry markers, so each seen write can be checked.
 */

export interface DurabilityRound {
  round: number;
  killAfterMs: number;
  seenWrites: number;
  lostUpdates: number;
  /** From the kill to a client holding the synced board again (restart included). */
  recoveryMs: number;
}

export interface DurabilityResult {
  server: ServerName;
  editors: number;
  rounds: DurabilityRound[];
  lostUpdates: number;
  recoveryMsP50: number;
}

const KILL_WINDOW_MS: [number, number] = [1_500, 4_000];

/** Env that brings a restarted server back on the port its clients know. */
const samePort = (server: ServerName, port: string): Record<string, string> =>
  server === 'hocuspocus' ? { HOCUSPOCUS_PORT: port } : { PORT: port };

export async function durability(
  serverName: ServerName,
  options: { rounds: number; editors: number; workers: number; seed: number; log: (line: string) => void }
): Promise<DurabilityResult> {
  const dir = mkdtempSync(join(tmpdir(), `minga-bench-durability-${serverName}-`));
  const bench = SERVERS[serverName];
  const rng = new Random(options.seed + 17);
  let server: RunningServer = await bench.start({ dir });
  const port = new URL(server.httpUrl).port;
  const rounds: DurabilityRound[] = [];
  try {
    const population = await server.populate({ boards: 1, editorsPerBoard: options.editors, seed: options.seed });
    for (let round = 1; round <= options.rounds; round++) {
      const generator = await LoadGenerator.launch(population, {
        workers: options.workers,
        behaviour: DEFAULT_BEHAVIOUR,
        seed: options.seed + round * 1000,
        trackSeen: true
      });
      const killAfterMs = Math.round(KILL_WINDOW_MS[0] + rng.next() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]));
      generator.start();
      await sleep(killAfterMs);
      await server.kill9();
      const killedAt = nowMicros();
      const reports = await generator.halt();
      await generator.close();
      server = await bench.start({ dir, env: samePort(serverName, port) });
      const doc = await syncBoard(population);
      const recoveryMs = (nowMicros() - killedAt) / 1000;
      const { seen, lost } = countLost(reports, doc);
      doc.destroy();
      rounds.push({ round, killAfterMs, seenWrites: seen, lostUpdates: lost, recoveryMs });
      options.log(`  ${serverName} durability round ${round}: killed after ${killAfterMs} ms, ${seen} writes seen, ${lost} lost, serving again after ${Math.round(recoveryMs)} ms`);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const recoveries = rounds.map((r) => r.recoveryMs).sort((a, b) => a - b);
  return {
    server: serverName,
    editors: options.editors,
    rounds,
    lostUpdates: rounds.reduce((a, r) => a + r.lostUpdates, 0),
    recoveryMsP50: recoveries[Math.floor((recoveries.length - 1) / 2)] ?? 0
  };
}

/** Opens the board as a fresh client and returns the synced doc. */
async function syncBoard(population: Population): Promise<Y.Doc> {
  const seat = population.seats[0]!;
  const board = population.boards[seat.board]!;
  const doc = new Y.Doc();
  const client = new SyncClient(population.protocol, seat.url, board.docName, { onSyncStep2: (update) => Y.applyUpdate(doc, update) });
  try {
    await client.synced;
  } finally {
    client.close();
  }
  return doc;
}

/**
 * A seen post is lost if its idea is gone; a seen edit is lost if the idea's text is older than
 * it (only the author edits a text, so versions are ordered).
 */
export function countLost(reports: WorkerReport[], doc: Y.Doc): { seen: number; lost: number } {
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
  const ideas = doc.getMap('ideas');
  let lost = 0;
  for (const [ideaId, versions] of seenByIdea) {
    const idea = ideas.get(ideaId) as Y.Map<unknown> | undefined;
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
