import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sleep } from './clock.ts';
import { Histogram } from './histogram.ts';
import { HostileMessages, type Author, type CaseKind } from './hostile-messages.ts';
import { ProcessMonitor, sampleProcess } from './proc.ts';

/**
 * Drives hostile messages (hostile-messages.ts) at a running Minga's content plane from several
 * sockets at once while two honest WebsocketProvider clients keep working, and checks what must
 * hold: the process stays up, /api/health answers, the honest reader gets every idea the honest
 * writer posts, memory stays bounded, every connection closes only where the server's own parser
 * says it must, and at the end a fresh client's board equals the honest reader's.
 */

export interface FuzzTarget {
  httpUrl: string;
  wsUrl: string;
  boardId: string;
  /** The server process, for its memory and liveness. */
  pid: number;
  /** Hostile participants: one per hostile socket (each has its own sync budget). */
  attackers: { token: string; author: Author }[];
  writer: { token: string; author: Author };
  readerToken: string;
  /** A token that may read the whole board (the facilitator's), for the final comparison. */
  checkerToken: string;
  maxMessageBytes: number;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Hostile messages per connection before it is ended on purpose. */
  perConnection?: number;
  log?: (line: string) => void;
}

export interface UnexpectedClose {
  code: number;
  reason: string;
  /** The last cases sent before the close (kind and hex), to reproduce it. */
  last: { kind: CaseKind; hex: string }[];
}

export interface FuzzReport {
  cases: number;
  byKind: Partial<Record<CaseKind, number>>;
  connections: number;
  closes: Record<string, number>;
  unexpectedCloses: UnexpectedClose[];
  serverAlive: boolean;
  health: { p50: number; p99: number; max: number; failures: number; samples: number };
  roundTrip: { p50: number; p99: number; max: number; posted: number; delivered: number };
  rss: { startMb: number; peakMb: number; endMb: number };
  /** A fresh client's board equals the honest reader's (state vector and content). */
  converged: boolean;
  /** Ideas the honest writer posted that the fresh client does not have. */
  lostIdeas: number;
  seconds: number;
}

/** Ends a connection on purpose: an unknown message type, which the server answers with 4400. */
const TERMINATOR = new Uint8Array([0x7f]);
const EXPECTED_CLOSES = new Set([4400, 4529]);
const POST_EVERY_MS = 200;
const HEALTH_EVERY_MS = 200;
const HEALTH_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 15_000;
const MAX_CLIENT_BUFFER = 1_048_576;

function provider(target: FuzzTarget, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`${target.wsUrl}/yjs`, target.boardId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300
  });
}

const synced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));

/** The honest pair: the writer posts an idea every POST_EVERY_MS, the reader times its arrival. */
class HonestPair {
  readonly writer: WebsocketProvider;
  readonly reader: WebsocketProvider;
  readonly sentAt = new Map<string, number>();
  readonly latency = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private n = 0;

  constructor(
    target: FuzzTarget,
    private readonly author: Author
  ) {
    this.writer = provider(target, target.writer.token);
    this.reader = provider(target, target.readerToken);
    this.reader.awareness.setLocalState({ focus: null });
    this.reader.doc.getMap('ideas').observe((event) => {
      const now = performance.now();
      for (const key of event.keysChanged) {
        const sent = this.sentAt.get(key);
        if (sent !== undefined && !this.latency.has(key)) this.latency.set(key, now - sent);
      }
    });
  }

  async start(): Promise<void> {
    await Promise.all([synced(this.writer), synced(this.reader)]);
    this.timer = setInterval(() => this.post(), POST_EVERY_MS);
  }

  private post(): void {
    const doc = this.writer.doc;
    const id = `honesta${this.n++}`;
    this.sentAt.set(id, performance.now());
    doc.transact(() => {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(id, idea);
      idea.set('text', `Idea honesta ${this.n}`);
      idea.set('questionId', 'desafio-6-p1');
      idea.set('clusterId', null);
      idea.set('authorId', this.author.id);
      idea.set('authorName', this.author.name);
      idea.set('sector', this.author.sector);
      idea.set('createdAt', Date.now());
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  destroy(): void {
    this.stop();
    for (const p of [this.writer, this.reader]) {
      p.destroy();
      p.doc.destroy(); // its awareness' timer goes with it
    }
  }
}

/** The board as a client that only reads sees it, with keys sorted (map order is per doc). */
function snapshot(doc: Y.Doc): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]))
        : value;
  const roots = [...doc.share.keys()].sort().map((name) => [name, sorted(doc.getMap(name).toJSON())]);
  return JSON.stringify({ sv: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]), roots });
}

async function hostileSocket(
  target: FuzzTarget,
  token: string,
  messages: HostileMessages,
  budget: { left: number },
  perConnection: number,
  report: FuzzReport
): Promise<void> {
  const ws = new WebSocket(`${target.wsUrl}/yjs/${target.boardId}?token=${encodeURIComponent(token)}`, { perMessageDeflate: false });
  ws.on('message', () => undefined);
  ws.on('error', () => undefined);
  let closedWith: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve((closedWith = { code, reason: reason.toString() })))
  );
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  if (closedWith) {
    report.unexpectedCloses.push({ ...(closedWith as { code: number; reason: string }), last: [] });
    return;
  }
  report.connections++;
  messages.newConnection();
  const last: { kind: CaseKind; hex: string }[] = [];
  let expectClose = false;
  let cutShort = false;
  for (let sent = 0; sent < perConnection && budget.left > 0 && !expectClose; sent++) {
    if (closedWith) {
      cutShort = true;
      break;
    }
    const c = messages.next();
    budget.left--;
    report.cases++;
    report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
    last.push({ kind: c.kind, hex: Buffer.from(c.bytes).toString('hex').slice(0, 400) });
    if (last.length > 5) last.shift();
    ws.send(c.bytes);
    expectClose = c.closes;
    while (ws.bufferedAmount > MAX_CLIENT_BUFFER && !closedWith) await sleep(1);
    if (sent % 64 === 63) await new Promise((r) => setImmediate(r));
  }
  // The server closed before the message that must close it: a finding.
  if (closedWith && !expectClose) cutShort = true;
  else if (!expectClose) ws.send(TERMINATOR);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ code: number; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ code: -1, reason: 'no close within 15 s' }), CLOSE_TIMEOUT_MS);
  });
  const result = await Promise.race([closed, timeout]);
  clearTimeout(timer);
  if (result.code === -1) ws.terminate();
  report.closes[result.code] = (report.closes[result.code] ?? 0) + 1;
  if (!EXPECTED_CLOSES.has(result.code) || cutShort) report.unexpectedCloses.push({ ...result, last: [...last] });
}

export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const perConnection = options.perConnection ?? 400;
  const report: FuzzReport = {
    cases: 0,
    byKind: {},
    connections: 0,
    closes: {},
    unexpectedCloses: [],
    serverAlive: true,
    health: { p50: 0, p99: 0, max: 0, failures: 0, samples: 0 },
    roundTrip: { p50: 0, p99: 0, max: 0, posted: 0, delivered: 0 },
    rss: { startMb: sampleProcess(target.pid)?.rssMb ?? 0, peakMb: 0, endMb: 0 },
    converged: false,
    lostIdeas: -1,
    seconds: 0
  };
  const monitor = new ProcessMonitor(target.pid, 250);
  const pair = new HonestPair(target, target.writer.author);
  await pair.start();

  // The board as the hostile client sees it (with a few honest ideas), for valid updates to mutate.
  await sleep(4 * POST_EVERY_MS);
  const attackerView = provider(target, target.checkerToken);
  await synced(attackerView);
  const board = new Y.Doc();
  Y.applyUpdate(board, Y.encodeStateAsUpdate(attackerView.doc));
  attackerView.destroy();
  attackerView.doc.destroy();

  const health = new Histogram();
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const at = performance.now();
      try {
        const res = await fetch(`${target.httpUrl}/api/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
        await res.arrayBuffer();
        if (res.ok) health.record(performance.now() - at);
        else report.health.failures++;
      } catch {
        report.health.failures++;
      }
      await sleep(Math.max(0, HEALTH_EVERY_MS - (performance.now() - at)));
    }
  })();

  const budget = { left: options.cases };
  let lastLogged = 0;
  await Promise.all(
    target.attackers.map(async (attacker, i) => {
      const messages = new HostileMessages(options.seed * 1_000 + i, attacker.author, board, target.maxMessageBytes);
      while (budget.left > 0 && report.serverAlive) {
        await hostileSocket(target, attacker.token, messages, budget, perConnection, report);
        report.serverAlive = sampleProcess(target.pid) !== null;
        if (options.log && report.cases - lastLogged >= 10_000) {
          lastLogged = report.cases;
          options.log(`  ${report.cases} cases, ${report.connections} connections, RSS ${monitor.peakRssMb.toFixed(0)} MB peak`);
        }
      }
    })
  );

  // Let the last honest ideas arrive, then compare a fresh client's board with the reader's.
  pair.stop();
  await sleep(1_500);
  probing = false;
  await probe;
  report.serverAlive = sampleProcess(target.pid) !== null;
  if (report.serverAlive) {
    const checker = provider(target, target.checkerToken);
    await synced(checker);
    await sleep(500);
    report.converged = snapshot(checker.doc) === snapshot(pair.reader.doc);

    const ideas = checker.doc.getMap('ideas');
    report.lostIdeas = [...pair.sentAt.keys()].filter((id) => !ideas.has(id)).length;
    checker.destroy();
    checker.doc.destroy();
  }
  const rt = new Histogram();
  for (const ms of pair.latency.values()) rt.record(ms);
  report.roundTrip = { p50: rt.percentile(0.5), p99: rt.percentile(0.99), max: rt.max, posted: pair.sentAt.size, delivered: pair.latency.size };
  report.health = { ...report.health, p50: health.percentile(0.5), p99: health.percentile(0.99), max: health.max, samples: health.count };
  report.rss.peakMb = monitor.peakRssMb;
  report.rss.endMb = sampleProcess(target.pid)?.rssMb ?? 0;
  monitor.stop();
  pair.destroy();
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
