import { Type, type Static } from '@sinclair/typebox';
import { CHECKPOINT_REASONS, type CheckpointReason } from '../../../db/schema/history.ts';
import { SESSION_PHASES, type Phase } from '../realtime/events.ts';

export const CheckpointParams = Type.Object({
  boardId: Type.String({ minLength: 1, maxLength: 64 }),
  /** A checkpoint's `id` (path parameters are strings: not coerced). */
  checkpointId: Type.String({ pattern: '^[1-9][0-9]{0,14}$' })
});

export const Checkpoint = Type.Object({
  id: Type.Integer(),
  /** ms since the epoch, server clock. */
  createdAt: Type.Integer(),
  reason: Type.Unsafe<CheckpointReason>(Type.Union(CHECKPOINT_REASONS.map((r) => Type.Literal(r)))),
  phase: Type.Unsafe<Phase>(Type.Union(['abierto', ...SESSION_PHASES].map((p) => Type.Literal(p)))),
  ideas: Type.Integer({ minimum: 0 })
});
export type Checkpoint = Static<typeof Checkpoint>;

export const CheckpointList = Type.Object({ checkpoints: Type.Array(Checkpoint) });

export const RestoreAnswer = Type.Object({
  restored: Checkpoint,
  /** The board as it was just before: restoring it undoes this restore. */
  saved: Checkpoint,
  summary: Type.Object({ ideasBack: Type.Integer(), ideasRemoved: Type.Integer(), ideasChanged: Type.Integer() })
});
export type RestoreAnswer = Static<typeof RestoreAnswer>;
