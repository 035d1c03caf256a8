/** What the orchestrator and the load generator know about a server under test. */

export const SERVER_NAMES = ['minga', 'y-websocket', 'hocuspocus', 'ws-relay'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/**
 * Minga with its per-tick batching switched off (`MINGA_BATCH_WRITES=off`, presence unbatched):
 * one SQLite transaction and one broadcast per update, as before the batching. Reported as server
 * `minga` with variant `unbatched`, for before/after figures from the same run.
 */
export const MINGA_UNBATCHED = 'minga-unbatched';
/**
 * Minga's wire as before issue 10 (`MINGA_BROADCAST_PACING=fixed-pause`,
 * `MINGA_PRESENCE_RENEWALS=relay-all`): a pause between broadcasts that grows with the room, and
 * every presence renewal relayed. Reported as server `minga`, variant `fixed-pause`.
 */
export const MINGA_FIXED_PAUSE = 'minga-fixed-pause';
/**
 * The Minga of another checkout (`npm run bench -- --baseline DIR`: e.g. a `git archive` of the
 * commit before an issue, with its node_modules), run as its own `npm start` would, for
 * before/after figures of a whole change in the same run. Reported as server `minga`, variant `before`.
 */
export const MINGA_BEFORE = 'minga-before';
/** Where `--baseline` puts the checkout of MINGA_BEFORE for the servers to find. */
export const MINGA_BEFORE_DIR_ENV = 'MINGA_BENCH_BASELINE_DIR';
/** The Minga variants a run may compare with Minga itself, and their names in the JSON. */
export type MingaVariant = typeof MINGA_UNBATCHED | typeof MINGA_FIXED_PAUSE | typeof MINGA_BEFORE;
export const MINGA_VARIANTS: Readonly<Record<MingaVariant, string>> = {
  [MINGA_UNBATCHED]: 'unbatched',
  [MINGA_FIXED_PAUSE]: 'fixed-pause',
  [MINGA_BEFORE]: 'before'
};
export const isMingaVariant = (name: string): name is MingaVariant => name in MINGA_VARIANTS;
export type TargetName = ServerName | MingaVariant;
export const TARGET_NAMES: readonly TargetName[] = [...SERVER_NAMES, MINGA_UNBATCHED, MINGA_FIXED_PAUSE, MINGA_BEFORE];

/** The wire protocol a seat speaks: y-websocket (Minga and the classic server), Hocuspocus' own, or raw relay. */
export type Protocol = 'y-websocket' | 'hocuspocus' | 'relay';

/** One simulated participant's place: which board, how to connect, who they are. */
export interface Seat {
  /** Index over the whole population (0..n-1). */
  index: number;
  /** Index of the board in `Population.boards`. */
  board: number;
  /** Full WebSocket URL (with the token for Minga). */
  url: string;
  participantId: string;
  name: string;
  sector: string;
  /** Minga only: token for the Socket.io control plane (votes). */
  controlToken?: string;
}

export interface BoardInfo {
  boardId: string;
  /** Hocuspocus document name; other protocols ignore it. */
  docName: string;
  /** Cluster ids present on the board (moves set `clusterId` to one of them). */
  clusterIds: string[];
  /** Question ids of the board's challenge. */
  questionIds: string[];
}

export interface Population {
  server: TargetName;
  protocol: Protocol;
  boards: BoardInfo[];
  seats: Seat[];
  /** Minga only: base URL for Socket.io. Votes go through `vote:cast` when set. */
  controlUrl?: string;
  /**
   * ws-relay keeps no state: each worker applies the board's seed update (clusters) to its own
   * copy instead of syncing it from the server.
   */
  seedLocally?: Uint8Array[];
}

export interface StartOptions {
  /** Folder for this server's data (SQLite files). */
  dir: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

export interface RunningServer {
  name: TargetName;
  pid: number;
  httpUrl: string;
  wsUrl: string;
  /** Everything the process printed (for error messages and parsing logs). */
  output(): string;
  /** Resolves when the output matches (Minga: fault-injection lines of crash rounds). */
  waitFor?(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Every complete line the process prints from now on (Minga: its JSON log, for the soak). */
  onLine?(listener: (line: string) => void): void;
  /** Creates boards and participants; seeds each board with its clusters. */
  populate(layout: { boards: number; editorsPerBoard: number; seed: number }): Promise<Population>;
  /** SIGTERM and wait (a graceful stop writes `--cpu-prof` profiles). */
  stop(): Promise<void>;
  /** SIGKILL: nothing runs on the way out. */
  kill9(): Promise<void>;
}

export interface BenchServer {
  name: TargetName;
  protocol: Protocol;
  start(options: StartOptions): Promise<RunningServer>;
}
