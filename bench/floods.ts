import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  MAX_PRESENCE_CLIENTS_PER_CONNECTION,
  MAX_PRESENCE_STATE_BYTES,
  PRESENCE_BYTES_PER_SECOND,
  SYNC_STEP1_BURST,
  SYNC_STEP1_INTERVAL_MS
} from '../server/src/sync/limits.ts';
import { nowMicros, sleep } from './lib/clock.ts';
import { Histogram } from './lib/histogram.ts';
import { ProcessMonitor } from './lib/proc.ts';
import { Random } from './lib/random.ts';
import { SyncClient } from './load/client.ts';
import { marker, markerIn, scanMarkers } from './load/marker.ts';
import { mingaEnv } from './servers/minga.ts';
import { mingaEntry, ROOT, startNodeProcess, type ServerProcess } from './servers/process.ts';

/**
 * Floods of issue 9 against a real Minga process: (5) awareness messages of 95,000 fresh clientIDs,
 * (6) updates that put ~1 MB values under unknown root keys and unknown idea fields, (7) sync step 1
 * at 40/s from 10 sockets on a ~6.9 MiB board, (8) small messages as fast as 8 sockets can send
 * them, reconnecting at once after every close, and REST requests (workshop creations, joins,
 * guessed codes) from 16 concurrent loops of another address. During a quiet window and then the
 * flood, an honest writer posts an idea every 250 ms and an honest reader times its arrival (round
 * trip: post → the other client has it); `/api/health` is polled; the server's RSS is sampled. At
 * the end a fresh client syncs and every posted idea is looked for ("lost").
 *
 *   node --import tsx bench/floods.ts [--only awareness,inflate,sync,messages,rest] [--seconds 10] [--root DIR]
 *
 * `--root` runs the server of another checkout (e.g. the commit before a fix) with this script.
 */

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'awareness,inflate,sync,messages,rest' },
    seconds: { type: 'string', default: '10' },
    quiet: { type: 'string', default: '5' },
    root: { type: 'string', default: ROOT },
    'board-mib': { type: 'string', default: '6.9' },
    'heap-mb': { type: 'string', default: '6144' },
    label: { type: 'string', default: 'minga' },
    out: { type: 'string' },
    seed: { type: 'string', default: '20220' }
  }
});

const log = (line: string) => process.stdout.write(`${line}\n`);
const FLOOD_SECONDS = Number(args.seconds);
const QUIET_SECONDS = Number(args.quiet);
const POST_EVERY_MS = 250;
const HEALTH_EVERY_MS = 100;
const HEALTH_TIMEOUT_MS = 60_000;
const DRAIN_MS = 10_000;
/** Issue 9, item 5: one message of 95,000 fresh clientIDs (~480 KB with empty states). */
const PRESENCE_FLOOD_ENTRIES = 95_000;
const PRESENCE_FLOODERS = 2;
const PRESENCE_MESSAGE_EVERY_MS = 500;
/** Issue 9, item 7: 10 sockets asking sync step 1 at 40/s each. */
const SYNC_FLOODERS = 10;
const SYNC_PER_SECOND = 40;
const RECONNECT_AFTER_MS = 50;
/** Issue 9, item 6: 100 values of 1 MB were accepted in 6 s; here 2 sockets send one every 100 ms each. */
const INFLATE_FLOODERS = 2;
const INFLATE_EVERY_MS = 100;
/** Just under the default frame limit (MAX_MESSAGE_BYTES, 1 MiB), with room for the update around it. */
const INFLATE_VALUE_CHARS = 1_000_000;
/** Issue 9, item 8: 45,000 messages in 5 s over 80 reconnects; here 8 sockets, one message per ms each. */
const MESSAGE_FLOODERS = 8;
const MESSAGE_EVERY_MS = 1;
/** Issue 9, item 8: 300 creations in 1.5 s, 1,000 joins in 4 s, codes guessed at ~300/s. */
const REST_LOOPS = 16;
/** The attacker's address, as a trusted proxy reports it (TRUST_PROXY=1): not the honest clients' 127.0.0.1. */
const REST_ATTACKER_ADDRESS = '10.66.0.1';
/** The REST limits a deployment runs with (config.ts defaults); mingaEnv raises them for the load benches. */
const REST_DEFAULT_LIMITS = {
  API_REQUESTS_PER_MINUTE: '600',
  WORKSHOP_CREATIONS_PER_MINUTE: '30',
  JOINS_PER_MINUTE: '120',
  CODE_MISSES_PER_MINUTE: '30',
  TRUST_PROXY: '1'
};
const Q1 = 'desafio-6-p1';

type Scenario = 'awareness' | 'inflate' | 'sync' | 'messages' | 'rest';

interface FloodResult {
  scenario: string;
  label: string;
  boardBytes: number;
  /** A fresh client's whole-board sync (step 2) after the drain, and the SQLite files' size then. */
  boardBytesAfter: number;
  dbBytesBefore: number;
  dbBytesAfter: number;
  quiet: Summary;
  flood: Summary;
  /** Ideas posted (in both windows) that a fresh client does not find after the drain. */
  lost: number;
  rssAfterMb: number;
  attackerMessages: number;
  attackerCloses: Record<string, number>;
  serverAlive: boolean;
}

interface Summary {
  healthP50: number;
  healthP99: number;
  healthMax: number;
  healthTimeouts: number;
  roundTripP50: number;
  roundTripP99: number;
  roundTripMax: number;
  posted: number;
  delivered: number;
  peakRssMb: number;
}

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function get<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

interface Setup {
  server: ServerProcess;
  httpUrl: string;
  boardUrl: (token: string) => string;
  boardId: string;
  facilitatorToken: string;
  ana: { token: string; participantId: string };
  beto: { token: string };
  mallory: { token: string; participantId: string };
  code: string;
}

async function setup(dir: string, env: Record<string, string>): Promise<Setup> {
  const server = await startNodeProcess(mingaEntry(args.root), {
    env: mingaEnv(dir, env),
    nodeFlags: [`--max-old-space-size=${args['heap-mb']}`],
    ready: /abre http:\/\/localhost:(\d+)/
  });
  const httpUrl = `http://127.0.0.1:${server.port}`;
  const workshop = await post<{ code: string; facilitatorToken: string; boards: { id: string }[] }>(httpUrl, '/api/workshops', {
    title: 'Taller bajo avalancha',
    challengeIds: ['desafio-6']
  });
  const joinAs = (name: string) =>
    post<{ token: string; participantId: string }>(httpUrl, `/api/workshops/${workshop.code}/join`, { name, sector: 'comunidad', comuna: 'Ovalle' });
  const boardId = workshop.boards[0]!.id;
  return {
    server,
    httpUrl,
    boardUrl: (token) => `ws://127.0.0.1:${server.port}/yjs/${boardId}?token=${encodeURIComponent(token)}`,
    boardId,
    facilitatorToken: workshop.facilitatorToken,
    ana: await joinAs('Ana'),
    beto: await joinAs('Beto'),
    mallory: await joinAs('Mallory'),
    code: workshop.code
  };
}

/** Fills the board with ~`mib` MiB of facilitator ideas (500 characters each), in ~700 KB updates. */
async function seedBoard(s: Setup, mib: number, rng: Random): Promise<number> {
  const me = await get<{ id: string; name: string; sector: string }>(s.httpUrl, '/api/me', s.facilitatorToken);
  const denials: string[] = [];
  const writer = new SyncClient('y-websocket', s.boardUrl(s.facilitatorToken), s.boardId, { onDenied: (reason) => denials.push(reason) });
  await writer.synced;
  const doc = new Y.Doc();
  const target = mib * 1_048_576;
  let written = 0;
  let ideas = 0;
  while (written < target) {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (let i = 0; i < 1_000; i++) {
        const idea = new Y.Map<unknown>();
        doc.getMap('ideas').set(`seed${ideas++}`, idea);
        idea.set('text', `Semilla ${ideas}: ${rng.id(8)} `.padEnd(500, 'x'));
        idea.set('questionId', Q1);
        idea.set('clusterId', null);
        idea.set('authorId', me.id);
        idea.set('authorName', me.name);
        idea.set('sector', me.sector);
        idea.set('createdAt', 1_700_000_000_000 + ideas);
      }
    });
    const update = Y.encodeStateAsUpdate(doc, before);
    writer.sendUpdate(update);
    written += update.byteLength;
    await sleep(100);
  }
  // Wait until a fresh client gets the whole of it.
  for (;;) {
    let size = 0;
    let bytes = 0;
    const reader = new SyncClient('y-websocket', s.boardUrl(s.facilitatorToken), s.boardId, {
      onSyncStep2: (state) => {
        bytes = state.byteLength;
        const d = new Y.Doc();
        Y.applyUpdate(d, state);
        size = d.getMap('ideas').size;
        d.destroy();
      }
    });
    await reader.synced;
    reader.close();
    if (denials.length > 0) throw new Error(`seed refused: ${denials[0]}`);
    if (size >= ideas) {
      writer.close();
      return bytes;
    }
    await sleep(200);
  }
}

/**
 * The honest pair: Ana posts an idea every POST_EVERY_MS (reconnecting and resending her whole doc
 * if her socket closes, as a WebsocketProvider does), Beto times each one's arrival.
 */
class HonestPair {
  private readonly doc = new Y.Doc();
  private writer!: SyncClient;
  private reader!: SyncClient;
  private readonly sent = new Map<number, number>();
  private readonly seen = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private next = 1;
  private stopped = false;
  readonly ids: string[] = [];
  writerCloses = 0;
  readerCloses = 0;

  constructor(private readonly s: Setup) {}

  async start(): Promise<void> {
    this.connectReader();
    this.connectWriter();
    await Promise.all([this.writer.synced, this.reader.synced]);
    this.timer = setInterval(() => this.postOne(), POST_EVERY_MS);
  }

  private connectWriter(): void {
    this.writer = new SyncClient('y-websocket', this.s.boardUrl(this.s.ana.token), this.s.boardId, {
      onClose: () => {
        this.writerCloses++;
        if (this.stopped) return;
        setTimeout(() => {
          this.connectWriter();
          void this.writer.synced.then(() => this.writer.sendUpdate(Y.encodeStateAsUpdate(this.doc)));
        }, RECONNECT_AFTER_MS);
      }
    });
  }

  private connectReader(): void {
    this.reader = new SyncClient('y-websocket', this.s.boardUrl(this.s.beto.token), this.s.boardId, {
      onUpdate: (frame) => scanMarkers(frame, (writeId) => this.arrived(writeId)),
      onSyncStep2: (state) => scanMarkers(Buffer.from(state.buffer, state.byteOffset, state.byteLength), (writeId) => this.arrived(writeId)),
      onClose: () => {
        this.readerCloses++;
        if (!this.stopped) setTimeout(() => this.connectReader(), RECONNECT_AFTER_MS);
      }
    });
  }

  private arrived(writeId: number): void {
    if (!this.seen.has(writeId)) this.seen.set(writeId, nowMicros());
  }

  private postOne(): void {
    const writeId = this.next++;
    const sendMicros = nowMicros();
    this.sent.set(writeId, sendMicros);
    const before = Y.encodeStateVector(this.doc);
    const id = `honest${writeId}`;
    this.ids.push(id);
    this.doc.transact(() => {
      const idea = new Y.Map<unknown>();
      this.doc.getMap('ideas').set(id, idea);
      idea.set('text', `Idea de Ana ${marker(writeId, sendMicros)}`);
      idea.set('questionId', Q1);
      idea.set('clusterId', null);
      idea.set('authorId', this.s.ana.participantId);
      idea.set('authorName', 'Ana');
      idea.set('sector', 'comunidad');
      idea.set('createdAt', Date.now());
    });
    this.writer.sendUpdate(Y.encodeStateAsUpdate(this.doc, before));
  }

  /** Round trips of the writes sent in [fromMicros, toMicros); a missing one counts as (until − send). */
  roundTrips(fromMicros: number, toMicros: number, untilMicros: number): { histogram: Histogram; posted: number; delivered: number } {
    const histogram = new Histogram();
    let posted = 0;
    let delivered = 0;
    for (const [writeId, sentAt] of this.sent) {
      if (sentAt < fromMicros || sentAt >= toMicros) continue;
      posted++;
      const at = this.seen.get(writeId);
      if (at !== undefined) delivered++;
      histogram.record(((at ?? untilMicros) - sentAt) / 1000);
    }
    return { histogram, posted, delivered };
  }

  stopPosting(): void {
    if (this.timer) clearInterval(this.timer);
  }

  close(): void {
    this.stopped = true;
    this.stopPosting();
    this.writer.close();
    this.reader.close();
  }
}

/** Polls GET /api/health one request at a time, at most every HEALTH_EVERY_MS. */
class HealthProbe {
  readonly samples: { at: number; ms: number | null }[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(url: string) {
    this.done = (async () => {
      while (this.running) {
        const at = performance.now();
        let ms: number | null = null;
        try {
          const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
          await res.arrayBuffer();
          if (res.ok) ms = performance.now() - at;
        } catch {
          ms = null;
        }
        this.samples.push({ at, ms });
        const wait = HEALTH_EVERY_MS - (performance.now() - at);
        if (wait > 0) await sleep(wait);
      }
    })();
  }

  between(from: number, to: number): { histogram: Histogram; timeouts: number } {
    const histogram = new Histogram();
    let timeouts = 0;
    for (const s of this.samples) {
      if (s.at < from || s.at >= to) continue;
      if (s.ms === null) timeouts++;
      else histogram.record(s.ms);
    }
    return { histogram, timeouts };
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** What a flood reports: messages (or requests) sent, and closes (or answers) by code. */
interface Flood {
  messages: number;
  readonly closes: Record<string, number>;
  stop(): void;
}

/** Sockets that keep sending `message` every `everyMs`, reconnecting at once when closed. */
class Flooders implements Flood {
  private readonly sockets = new Set<WebSocket>();
  private running = true;
  messages = 0;
  readonly closes: Record<string, number> = {};

  constructor(
    private readonly url: string,
    count: number,
    private readonly everyMs: number,
    private readonly message: () => Uint8Array
  ) {
    for (let i = 0; i < count; i++) this.open();
  }

  private open(): void {
    const ws = new WebSocket(this.url, { perMessageDeflate: false });
    let timer: NodeJS.Timeout | null = null;
    this.sockets.add(ws);
    ws.on('open', () => {
      timer = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(this.message());
        this.messages++;
      }, this.everyMs);
    });
    ws.on('message', () => undefined); // read (and drop) whatever the server sends
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (timer) clearInterval(timer);
      this.sockets.delete(ws);
      if (!this.running) return;
      this.closes[code] = (this.closes[code] ?? 0) + 1;
      setTimeout(() => this.open(), RECONNECT_AFTER_MS);
    });
  }

  stop(): void {
    this.running = false;
    for (const ws of this.sockets) ws.terminate();
  }
}

function presenceFlood(rng: Random): () => Uint8Array {
  let nextClient = rng.clientId();
  return () => {
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, PRESENCE_FLOOD_ENTRIES);
    for (let i = 0; i < PRESENCE_FLOOD_ENTRIES; i++) {
      encoding.writeVarUint(update, nextClient++ % 2 ** 32);
      encoding.writeVarUint(update, 1);
      encoding.writeVarString(update, '{}');
    }
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 1); // awareness
    encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
    return encoding.toUint8Array(message);
  };
}

const SYNC_STEP1_EMPTY = new Uint8Array([0, 0, 1, 0]);
/** A sync step 2 carrying the empty update (the cheapest message the server reads and counts). */
const SYNC_STEP2_EMPTY = new Uint8Array([0, 1, 2, 0, 0]);

/**
 * Mallory's inflating updates, each from a fresh doc (so none depends on an earlier refusal):
 * alternately a ~1 MB value under an unknown root key and an idea of hers with a ~1 MB unknown field.
 */
function inflateFlood(s: Setup, rng: Random): () => Uint8Array {
  const big = 'x'.repeat(INFLATE_VALUE_CHARS);
  let n = 0;
  return () => {
    const doc = new Y.Doc();
    const key = `inflate${n++}-${rng.id(6)}`;
    if (n % 2 === 1) doc.getMap('extension').set(key, big);
    else {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(key, idea);
      idea.set('text', 'Idea de Mallory');
      idea.set('questionId', Q1);
      idea.set('clusterId', null);
      idea.set('authorId', s.mallory.participantId);
      idea.set('authorName', 'Mallory');
      idea.set('sector', 'comunidad');
      idea.set('createdAt', Date.now());
      idea.set('blob', big);
    }
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 0); // sync
    encoding.writeVarUint(message, 2); // update
    encoding.writeVarUint8Array(message, update);
    return encoding.toUint8Array(message);
  };
}

/** Loops that each send one REST request after another: a workshop creation, a join, a guessed code. */
class RestFlooders implements Flood {
  private running = true;
  messages = 0;
  /** Answers by HTTP status. */
  readonly closes: Record<string, number> = {};

  constructor(base: string, code: string, rng: Random) {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': REST_ATTACKER_ADDRESS };
    const requests = [
      () => fetch(`${base}/api/workshops`, { method: 'POST', headers, body: JSON.stringify({ title: 'Avalancha', challengeIds: ['desafio-6'] }) }),
      () => fetch(`${base}/api/workshops/${code}/join`, { method: 'POST', headers, body: JSON.stringify({ name: `Bot ${rng.id(4)}`, sector: 'comunidad', comuna: 'Ovalle' }) }),
      () => fetch(`${base}/api/workshops/${rng.id(6).toUpperCase()}`, { headers })
    ];
    for (let i = 0; i < REST_LOOPS; i++) {
      void (async () => {
        for (let n = i; this.running; n++) {
          try {
            const res = await requests[n % requests.length]!();
            await res.arrayBuffer();
            this.closes[res.status] = (this.closes[res.status] ?? 0) + 1;
          } catch {
            this.closes.error = (this.closes.error ?? 0) + 1;
          }
          this.messages++;
        }
      })();
    }
  }

  stop(): void {
    this.running = false;
  }
}

function dbBytes(dir: string): number {
  let n = 0;
  for (const f of ['minga.db', 'minga.db-wal']) {
    try {
      n += statSync(join(dir, f)).size;
    } catch {
      // no WAL file yet
    }
  }
  return n;
}

function floodersFor(scenario: Scenario, s: Setup, rng: Random): Flood {
  const url = s.boardUrl(s.mallory.token);
  switch (scenario) {
    case 'awareness':
      return new Flooders(url, PRESENCE_FLOODERS, PRESENCE_MESSAGE_EVERY_MS, presenceFlood(rng));
    case 'inflate':
      return new Flooders(url, INFLATE_FLOODERS, INFLATE_EVERY_MS, inflateFlood(s, rng));
    case 'sync':
      return new Flooders(url, SYNC_FLOODERS, 1000 / SYNC_PER_SECOND, () => SYNC_STEP1_EMPTY);
    case 'messages':
      return new Flooders(url, MESSAGE_FLOODERS, MESSAGE_EVERY_MS, () => SYNC_STEP2_EMPTY);
    case 'rest':
      return new RestFlooders(s.httpUrl, s.code, rng);
  }
}

async function run(scenario: Scenario): Promise<FloodResult> {
  const dir = mkdtempSync(join(tmpdir(), `minga-bench-flood-${scenario}-`));
  const rng = new Random(Number(args.seed));
  const s = await setup(dir, { ROOM_IDLE_UNLOAD_MS: '600000', ...(scenario === 'rest' ? REST_DEFAULT_LIMITS : {}) });
  const monitor = new ProcessMonitor(s.server.pid, 100);
  try {
    const boardBytes = scenario === 'sync' ? await seedBoard(s, Number(args['board-mib']), rng) : 0;
    if (boardBytes) log(`  board: ${(boardBytes / 1_048_576).toFixed(2)} MiB`);
    const dbBytesBefore = dbBytes(dir);
    const pair = new HonestPair(s);
    await pair.start();
    const health = new HealthProbe(s.httpUrl);

    const quietFrom = performance.now();
    const quietFromMicros = nowMicros();
    monitor.resetPeak();
    await sleep(QUIET_SECONDS * 1000);
    const quietPeak = monitor.peakRssMb;
    const floodFrom = performance.now();
    const floodFromMicros = nowMicros();
    monitor.resetPeak();

    const flooders = floodersFor(scenario, s, rng);
    await sleep(FLOOD_SECONDS * 1000);
    flooders.stop();
    const floodTo = performance.now();
    const floodToMicros = nowMicros();
    const floodPeak = monitor.peakRssMb;
    pair.stopPosting();

    // Let the server catch up, then look for every idea Ana posted.
    await sleep(DRAIN_MS);
    const untilMicros = nowMicros();
    await health.stop();
    const alive = s.server.proc.exitCode === null && s.server.proc.signalCode === null;
    let lost = pair.ids.length;
    let boardBytesAfter = 0;
    if (alive) {
      // A step 2 may be followed by the updates that complete it (docs/api.md): apply both.
      const board = new Y.Doc();
      const check = new SyncClient('y-websocket', s.boardUrl(s.facilitatorToken), s.boardId, {
        onSyncStep2: (state) => {
          boardBytesAfter = state.byteLength;
          Y.applyUpdate(board, state);
        },
        onUpdate: (_frame, update) => Y.applyUpdate(board, update())
      });
      await check.synced.catch(() => undefined);
      await sleep(1_000);
      check.close();
      const found = new Set<string>();
      board.getMap('ideas').forEach((idea, id) => {
        if (markerIn(String((idea as Y.Map<unknown>).get('text')))) found.add(id);
      });
      lost = pair.ids.filter((id) => !found.has(id)).length;
    }
    const rssAfterMb = monitor.mark()?.rssMb ?? 0;
    pair.close();

    const summary = (from: number, to: number, fromMicros: number, toMicros: number, peak: number): Summary => {
      const h = health.between(from, to);
      const rt = pair.roundTrips(fromMicros, toMicros, untilMicros);
      return {
        healthP50: h.histogram.percentile(0.5),
        healthP99: h.histogram.percentile(0.99),
        healthMax: h.histogram.max,
        healthTimeouts: h.timeouts,
        roundTripP50: rt.histogram.percentile(0.5),
        roundTripP99: rt.histogram.percentile(0.99),
        roundTripMax: rt.histogram.max,
        posted: rt.posted,
        delivered: rt.delivered,
        peakRssMb: peak
      };
    };
    return {
      scenario,
      label: args.label,
      boardBytes,
      boardBytesAfter,
      dbBytesBefore,
      dbBytesAfter: dbBytes(dir),
      quiet: summary(quietFrom, floodFrom, quietFromMicros, floodFromMicros, quietPeak),
      flood: summary(floodFrom, floodTo, floodFromMicros, floodToMicros, floodPeak),
      lost,
      rssAfterMb,
      attackerMessages: flooders.messages,
      attackerCloses: flooders.closes,
      serverAlive: alive
    };
  } finally {
    monitor.stop();
    await s.server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`);

function print(r: FloodResult): void {
  log(`${r.scenario} flood (${r.label})${r.serverAlive ? '' : ' — SERVER DIED'}`);
  log('  window  health p50 / p99 / max (timeouts)        round trip p50 / p99 / max   delivered  peak RSS');
  for (const [name, w] of [['quiet', r.quiet], ['flood', r.flood]] as const) {
    log(
      `  ${name.padEnd(6)}  ${ms(w.healthP50)} / ${ms(w.healthP99)} / ${ms(w.healthMax)} (${w.healthTimeouts})`.padEnd(52) +
        `${ms(w.roundTripP50)} / ${ms(w.roundTripP99)} / ${ms(w.roundTripMax)}`.padEnd(30) +
        `${w.delivered}/${w.posted}`.padEnd(11) +
        `${w.peakRssMb.toFixed(0)} MB`
    );
  }
  const what = r.scenario === 'rest' ? 'requests sent' : 'messages sent';
  const answers = r.scenario === 'rest' ? 'answers by status' : 'closes';
  log(`  ideas lost: ${r.lost}; RSS after the drain: ${r.rssAfterMb.toFixed(0)} MB; attacker ${what}: ${r.attackerMessages}; ${answers}: ${JSON.stringify(r.attackerCloses)}`);
  const mib = (b: number) => (b >= 1_048_576 ? `${(b / 1_048_576).toFixed(2)} MiB` : `${(b / 1024).toFixed(0)} KiB`);
  log(`  board sync after the drain: ${mib(r.boardBytesAfter)}; SQLite files ${mib(r.dbBytesBefore)} before the flood, ${mib(r.dbBytesAfter)} after`);
}

log(
  `limits: presence ${MAX_PRESENCE_CLIENTS_PER_CONNECTION} clientIDs/connection, ${MAX_PRESENCE_STATE_BYTES} B/state, ${PRESENCE_BYTES_PER_SECOND} B/s; ` +
    `sync step 1 burst ${SYNC_STEP1_BURST}, then one per ${SYNC_STEP1_INTERVAL_MS} ms; server from ${resolve(args.root)}`
);
const results: FloodResult[] = [];
for (const scenario of args.only.split(',') as Scenario[]) {
  log(`\n${scenario}: ${QUIET_SECONDS} s quiet, ${FLOOD_SECONDS} s flood, ${DRAIN_MS / 1000} s drain`);
  const r = await run(scenario);
  print(r);
  results.push(r);
}
if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
