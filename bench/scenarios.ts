import type { Timing } from './load/generator.ts';
import { DEFAULT_BEHAVIOUR, type Behaviour } from './load/protocol.ts';
import type { Scenario } from './measure.ts';
import { MINGA_FIXED_PAUSE, MINGA_UNBATCHED, SERVER_NAMES, type ServerName, type TargetName } from './servers/types.ts';

/** What one `npm run bench` does: the full plan, or the shorter `--quick` one. */

export const CURSOR_HZ = 5;
/** The latency goal that defines the knee (ms, p99 end to end). */
export const KNEE_P99_MS = 100;

export interface Plan {
  name: 'quick' | 'full';
  timing: Timing;
  matrix: { scenario: Scenario; servers: readonly TargetName[] }[];
  knee: { servers: readonly TargetName[]; grid: number[]; maxExtraRuns: number };
  durability: { server: ServerName; rounds: number; editors: number }[];
  boardSizes: number[];
  exportIdeas: number;
}

const cursorsOn: Behaviour = { ...DEFAULT_BEHAVIOUR, cursorHz: CURSOR_HZ };

export const oneBoard = (editors: number, cursors = false): Scenario => ({
  id: cursors ? 'one-board+cursors' : 'one-board',
  boards: 1,
  editorsPerBoard: editors,
  behaviour: cursors ? cursorsOn : DEFAULT_BEHAVIOUR
});

export const workshop = (cursors = false): Scenario => ({
  id: cursors ? 'workshop+cursors' : 'workshop',
  boards: 8,
  editorsPerBoard: 60,
  behaviour: cursors ? cursorsOn : DEFAULT_BEHAVIOUR
});

const appPresence: Behaviour = { ...DEFAULT_BEHAVIOUR, presence: 'app' };

/**
 * One board with presence as the web app sends it. The window spans two of Minga's renewal
 * windows (21–26 s) and three of y-protocols' 15 s renewals, so renewals are counted at their
 * steady rate, not at the burst that follows everyone's first presence.
 */
export const oneBoardAppPresence = (editors: number): Scenario => ({
  id: 'one-board+app-presence',
  boards: 1,
  editorsPerBoard: editors,
  behaviour: appPresence,
  timing: { warmupMs: 9_000, measureMs: 48_000, drainMs: 3_000 }
});

/** The servers of `--only wire`: Minga, its wire before issue 10, and the classic server. */
export const WIRE_SERVERS: readonly TargetName[] = ['minga', MINGA_FIXED_PAUSE, 'y-websocket'];
export const WIRE_SIZES = [10, 50, 100, 250, 500, 750, 1000];
export const WIRE_BANDWIDTH_SIZES = [100, 500];

/**
 * `--only wire` (issue 10): latency at 10–1,000 editors on one board, then bandwidth per client at
 * 100 and 500 with the app's presence and with 5 Hz cursors, each size on every wire server in turn.
 */
export function wirePlan(): { scenario: Scenario; servers: readonly TargetName[] }[] {
  return [
    ...WIRE_SIZES.map((n) => ({ scenario: oneBoard(n), servers: WIRE_SERVERS })),
    ...WIRE_BANDWIDTH_SIZES.map((n) => ({ scenario: oneBoardAppPresence(n), servers: WIRE_SERVERS })),
    ...WIRE_BANDWIDTH_SIZES.map((n) => ({ scenario: oneBoard(n, true), servers: WIRE_SERVERS }))
  ];
}

const KNEE_GRID = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1250, 1500, 2000];

export function plan(quick: boolean): Plan {
  if (quick) {
    return {
      name: 'quick',
      timing: { warmupMs: 1_500, measureMs: 5_000, drainMs: 1_500 },
      matrix: [
        ...[100, 500].map((n) => ({ scenario: oneBoard(n), servers: SERVER_NAMES })),
        // The 500-editor goal holds with cursors on too; the baselines' cursor runs are in the full plan.
        { scenario: oneBoard(500, true), servers: ['minga'] }
      ],
      knee: { servers: ['minga', 'y-websocket'], grid: KNEE_GRID, maxExtraRuns: 2 },
      durability: [{ server: 'minga', rounds: 3, editors: 300 }],
      boardSizes: [1_000],
      exportIdeas: 1_000
    };
  }
  // Before/after: Minga with its batching off runs beside it where the batching matters.
  const withBefore: readonly TargetName[] = [...SERVER_NAMES, MINGA_UNBATCHED];
  return {
    name: 'full',
    timing: { warmupMs: 3_000, measureMs: 20_000, drainMs: 3_000 },
    matrix: [
      ...[10, 50, 100, 300, 500, 750, 1000].map((n) => ({ scenario: oneBoard(n), servers: n >= 500 ? withBefore : SERVER_NAMES })),
      ...[100, 300, 500].map((n) => ({ scenario: oneBoard(n, true), servers: n >= 500 ? withBefore : SERVER_NAMES })),
      { scenario: workshop(false), servers: withBefore },
      { scenario: workshop(true), servers: withBefore }
    ],
    knee: { servers: withBefore, grid: KNEE_GRID, maxExtraRuns: 5 },
    durability: [
      { server: 'minga', rounds: 10, editors: 300 },
      // The detector check: Hocuspocus debounces its stores, so this round should find losses.
      { server: 'hocuspocus', rounds: 3, editors: 300 }
    ],
    boardSizes: [100, 1_000, 10_000],
    exportIdeas: 1_000
  };
}
