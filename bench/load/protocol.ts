import type { HistogramData } from '../lib/histogram.ts';
import type { Population } from '../servers/types.ts';

/** Messages between the generator and its worker processes (Node IPC, advanced serialization). */

export interface Behaviour {
  /** Mean seconds between two ideas of one participant (Poisson arrivals). */
  ideaEverySec: number;
  /** Mean seconds between two edits of one's own idea. */
  editEverySec: number;
  /** Mean seconds between two moves (set an idea's clusterId). */
  moveEverySec: number;
  /** Mean seconds between two votes (Minga: `vote:cast`; baselines: a write to `votes`). */
  voteEverySec: number;
  /** Cursor updates per second per participant; 0 turns cursors off (presence is still renewed). */
  cursorHz: number;
  /** Presence renewal, as y-protocols' awareness does (every 15 s). */
  presenceEverySec: number;
  /**
   * `bench` (default): a cursor-board state `{ user: { name, color }, cursor? }`, renewed every
   * `presenceEverySec`. `app`: what web/ really sends (web/src/lib/state/board-doc.svelte.ts):
   * `{ focus }`, the question whose lane one works in (moved to another question about once a
   * minute), with `user` as Minga's server fills it in; renewed as y-protocols does: checked
   * every 3 s, renewed once 15 s passed since the last local change.
   */
  presence?: 'bench' | 'app';
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  ideaEverySec: 10,
  editEverySec: 30,
  moveEverySec: 30,
  voteEverySec: 60,
  cursorHz: 0,
  presenceEverySec: 15
};

export interface WorkerInit {
  type: 'init';
  worker: number;
  seed: number;
  population: Population;
  /** Indexes into population.seats that this worker simulates. */
  seats: number[];
  behaviour: Behaviour;
  /** Record which write ids were seen, and every write made (durability check). */
  trackSeen: boolean;
}

/** All times on the shared monotonic clock, microseconds. */
export interface WorkerRun {
  type: 'run';
  startAt: number;
  measureAt: number;
  stopAt: number;
  reportAt: number;
}

/**
 * `start`: send until `halt` (durability rounds, where the server is killed mid-run); `reset`:
 * drop every client and connect fresh ones (new Yjs clientIDs from `seed`), then `ready` again.
 */
export type ToWorker = WorkerInit | WorkerRun | { type: 'start' } | { type: 'halt' } | { type: 'reset'; seed: number } | { type: 'close' };

export interface WriteRecord {
  writeId: number;
  sendMicros: number;
  board: number;
  /** Seat index of the writer. */
  seat: number;
}

export interface DurableWrite {
  writeId: number;
  ideaId: string;
  /** 0 for the post, n for the n-th edit of the idea's text. */
  version: number;
}

export interface WorkerReport {
  type: 'report';
  worker: number;
  latency: HistogramData;
  voteAck: HistogramData;
  /** Per receiving seat: samples, p99 and mean (ms). */
  perClient: { seat: number; count: number; p99: number; mean: number }[];
  /** Marked writes sent inside the measured window. */
  sent: WriteRecord[];
  /** writeId → receipts by this worker's clients (measured writes only). */
  receipts: [number, number][];
  /** Content writes of any kind sent inside the window. */
  writesInWindow: number;
  bytesInWindow: number;
  bytesOutWindow: number;
  clients: number;
  /** CPU used by this worker during the window, in cores. */
  cpuCores: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  refused: number;
  refusalSamples: string[];
  closes: number;
  closeSamples: string[];
  voteErrors: Record<string, number>;
  seen?: number[];
  writes?: DurableWrite[];
  /**
   * Per Yjs clientID, the highest clock any of this worker's clients received in a broadcast from
   * someone else: every struct below it was seen (the server integrates each client's structs in
   * order), whatever the write was (post, edit, move, a vote the server wrote).
   */
  seenClocks?: [number, number][];
}

export type FromWorker =
  | { type: 'ready'; worker: number; connectMs: number }
  | { type: 'failed'; worker: number; error: string }
  | WorkerReport;
