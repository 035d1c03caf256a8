import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { nowMicros, sleepUntil } from '../lib/clock.ts';
import { Histogram } from '../lib/histogram.ts';
import { scanMarkers, WRITE_IDS_PER_WORKER } from './marker.ts';
import { BoardMirror } from './mirror.ts';
import { Participant, type ParticipantSink } from './participant.ts';
import type { DurableWrite, FromWorker, ToWorker, WorkerInit, WorkerReport, WorkerRun, WriteRecord } from './protocol.ts';

/**
 * A load worker process: simulates its share of the participants, times every marked update each
 * of them receives, and reports to the generator. Started by `generator.ts` with `fork`.
 */

const TICK_MS = 10;
/** The event-loop delay monitor samples this often; what it reports includes this interval. */
const LOOP_RESOLUTION_MS = 10;
const CONNECT_CONCURRENCY = 25;
const SAMPLES_KEPT = 5;
/** Per-receiver histograms are coarse (5 %): only the slowest receiver's p99 is reported. */
const PER_CLIENT_PRECISION = 0.05;

const send = (message: FromWorker) => process.send!(message);

class Worker {
  private readonly mirrors: BoardMirror[];
  private readonly participants: Participant[] = [];
  private readonly latency = new Histogram();
  private readonly voteAck = new Histogram();
  private readonly perClient = new Map<number, Histogram>();
  private readonly receipts = new Map<number, number>();
  private readonly sentBy = new Map<number, number>();
  private readonly sent: WriteRecord[] = [];
  private readonly seen = new Set<number>();
  private readonly seenClocks = new Map<number, number>();
  private readonly durable: DurableWrite[] = [];
  private readonly voteErrors: Record<string, number> = {};
  private readonly refusals: string[] = [];
  private readonly closeSamples: string[] = [];
  private refused = 0;
  private closes = 0;
  private seq = 0;
  private writesInWindow = 0;
  private sending = false;
  private window = { from: Infinity, to: -Infinity };
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly init: WorkerInit) {
    this.mirrors = init.population.boards.map(() => new BoardMirror());
    init.population.seedLocally?.forEach((update, board) => this.mirrors[board]!.feed(update));
  }

  async connect(): Promise<void> {
    const { population, seats, behaviour, seed } = this.init;
    const feederOf = new Map<number, number>();
    for (const index of seats) {
      const seat = population.seats[index]!;
      if (!feederOf.has(seat.board)) feederOf.set(seat.board, index);
      const board = population.boards[seat.board]!;
      this.participants.push(new Participant(seat, board, this.mirrors[seat.board]!, population, behaviour, this.sinkFor(seat.board), seed));
    }
    // Feeders first, so each board's copy holds the whole board before anyone writes.
    const ordered = [...this.participants].sort((a, b) => Number(feederOf.get(b.seat.board) === b.seat.index) - Number(feederOf.get(a.seat.board) === a.seat.index));
    let next = 0;
    const connectNext = async () => {
      while (next < ordered.length) {
        const p = ordered[next++]!;
        const feeder = feederOf.get(p.seat.board) === p.seat.index;
        const mirror = this.mirrors[p.seat.board]!;
        await p.connect({
          onUpdate: (frame, update) => {
            const now = nowMicros();
            if (feeder || this.init.trackSeen) {
              const u = update();
              if (feeder) mirror.feed(u);
              if (this.init.trackSeen) this.receivedStructs(p.clientId, u);
            }
            scanMarkers(frame, (writeId, sendMicros) => this.received(p.seat.index, writeId, sendMicros, now));
          },
          onSyncStep2: (update) => {
            if (feeder) mirror.feed(update);
          },
          onDenied: (reason) => {
            this.refused++;
            if (this.refusals.length < SAMPLES_KEPT) this.refusals.push(reason);
          },
          onClose: (code, reason) => {
            this.closes++;
            if (this.closeSamples.length < SAMPLES_KEPT) this.closeSamples.push(`${code} ${reason}`);
          }
        });
      }
    };
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, connectNext));
  }

  /** How a participant tells this worker what it sent. */
  private sinkFor(board: number): ParticipantSink {
    return {
      nextWriteId: () => this.init.worker * WRITE_IDS_PER_WORKER + ++this.seq,
      marked: (writeId, sendMicros, seatIndex, ideaId, version) => {
        this.sentBy.set(writeId, seatIndex);
        if (this.init.trackSeen) this.durable.push({ writeId, ideaId, version });
        if (sendMicros >= this.window.from && sendMicros < this.window.to) this.sent.push({ writeId, sendMicros, board, seat: seatIndex });
      },
      wrote: () => {
        const now = nowMicros();
        if (now >= this.window.from && now < this.window.to) this.writesInWindow++;
      },
      voteAnswered: (ms, error) => {
        this.voteAck.record(ms);
        if (error) this.voteErrors[error] = (this.voteErrors[error] ?? 0) + 1;
      }
    };
  }

  private received(seat: number, writeId: number, sendMicros: number, now: number): void {
    if (this.sentBy.get(writeId) === seat) return; // the server echoed our own write
    if (this.init.trackSeen) this.seen.add(writeId);
    if (sendMicros < this.window.from || sendMicros >= this.window.to) return;
    const ms = (now - sendMicros) / 1000;
    this.latency.record(ms);
    let h = this.perClient.get(seat);
    if (!h) this.perClient.set(seat, (h = new Histogram(PER_CLIENT_PRECISION)));
    h.record(ms);
    this.receipts.set(writeId, (this.receipts.get(writeId) ?? 0) + 1);
  }

  /** Records the clocks of a broadcast that `receiver` got, except its own writes. */
  private receivedStructs(receiver: number, update: Uint8Array): void {
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      if (client !== receiver && clock > (this.seenClocks.get(client) ?? 0)) this.seenClocks.set(client, clock);
    }
  }

  async run(run: WorkerRun): Promise<void> {
    for (const p of this.participants) p.schedule(run.startAt);
    await sleepUntil(run.startAt);
    this.startSending();
    await sleepUntil(run.measureAt);
    this.window = { from: run.measureAt, to: run.stopAt };
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    const cpu0 = process.cpuUsage();
    const bytes0 = this.bytes();
    await sleepUntil(run.stopAt);
    this.stopSending();
    const cpu = process.cpuUsage(cpu0);
    const bytes1 = this.bytes();
    loopDelay.disable();
    const cpuCores = (cpu.user + cpu.system) / (run.stopAt - run.measureAt);
    await sleepUntil(run.reportAt);
    send(this.report({
      cpuCores,
      bytesIn: bytes1.in - bytes0.in,
      bytesOut: bytes1.out - bytes0.out,
      eventLoopP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      eventLoopMaxMs: Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS)
    }));
  }

  startSending(): void {
    this.sending = true;
    this.ticker = setInterval(() => {
      if (!this.sending) return;
      const now = nowMicros();
      for (const p of this.participants) p.tick(now);
    }, TICK_MS);
  }

  stopSending(): void {
    this.sending = false;
    if (this.ticker) clearInterval(this.ticker);
  }

  private bytes() {
    let bytesIn = 0;
    let bytesOut = 0;
    for (const p of this.participants) {
      bytesIn += p.client.bytesIn;
      bytesOut += p.client.bytesOut;
    }
    return { in: bytesIn, out: bytesOut };
  }

  report(m: { cpuCores: number; bytesIn: number; bytesOut: number; eventLoopP99Ms: number; eventLoopMaxMs: number }): WorkerReport {
    return {
      type: 'report',
      worker: this.init.worker,
      latency: this.latency.toJSON(),
      voteAck: this.voteAck.toJSON(),
      perClient: [...this.perClient].map(([seat, h]) => ({ seat, count: h.count, p99: h.percentile(0.99), mean: h.mean })),
      sent: this.sent,
      receipts: [...this.receipts],
      writesInWindow: this.writesInWindow,
      bytesInWindow: m.bytesIn,
      bytesOutWindow: m.bytesOut,
      clients: this.participants.length,
      cpuCores: m.cpuCores,
      eventLoopP99Ms: m.eventLoopP99Ms,
      eventLoopMaxMs: m.eventLoopMaxMs,
      refused: this.refused,
      refusalSamples: this.refusals,
      closes: this.closes,
      closeSamples: this.closeSamples,
      voteErrors: this.voteErrors,
      ...(this.init.trackSeen ? { seen: [...this.seen], writes: this.durable, seenClocks: [...this.seenClocks] } : {})
    };
  }

  close(): void {
    this.stopSending();
    for (const p of this.participants) p.close();
  }
}

let worker: Worker | null = null;
let init: WorkerInit | null = null;

function begin(message: WorkerInit): void {
  const started = performance.now();
  init = message;
  worker = new Worker(message);
  worker.connect().then(
    () => send({ type: 'ready', worker: message.worker, connectMs: performance.now() - started }),
    (err: unknown) => send({ type: 'failed', worker: message.worker, error: String((err as Error)?.stack ?? err) })
  );
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      begin(message);
      return;
    case 'reset':
      worker?.close();
      begin({ ...init!, seed: message.seed });
      return;
    case 'run':
      void worker!.run(message);
      return;
    case 'start':
      worker!.startSending();
      return;
    case 'halt':
      worker!.stopSending();
      send(worker!.report({ cpuCores: 0, bytesIn: 0, bytesOut: 0, eventLoopP99Ms: 0, eventLoopMaxMs: 0 }));
      return;
    case 'close':
      worker?.close();
      setTimeout(() => process.exit(0), 50);
      return;
  }
});
process.on('disconnect', () => process.exit(0));
