import type { BoardCheckpoint, CheckpointReason } from '../../../db/schema/history.ts';
import type { Phase } from '../realtime/events.ts';
import type { Checkpoint } from '../schemas/checkpoints.ts';

/** Checkpoints kept per board; the oldest go first (48: eight hours at one per ten minutes). */
export const CHECKPOINTS_PER_BOARD = 48;

/** What the list shows: `Checkpoint` of the route's schema. */
export type CheckpointInfo = Checkpoint;

export interface NewCheckpoint {
  reason: CheckpointReason;
  phase: Phase;
  ideas: number;
  data: Uint8Array;
}

/** A board's checkpoints (server/src/history/). One implementation per engine (sqlite/, pg/). */
export interface CheckpointsRepository {
  /** Stores a checkpoint and drops the board's oldest beyond CHECKPOINTS_PER_BOARD, in one transaction. */
  add(boardId: string, input: NewCheckpoint): Promise<CheckpointInfo>;
  /** The board's checkpoints, newest first, without their data. */
  list(boardId: string): Promise<CheckpointInfo[]>;
  get(boardId: string, id: number): Promise<BoardCheckpoint | null>;
  newest(boardId: string): Promise<BoardCheckpoint | null>;
}
