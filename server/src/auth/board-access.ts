import type { Board } from '../../../db/schema/workshops.ts';
import type { WorkshopsRepository } from '../repositories/workshops.ts';
import type { Identity } from './identity.ts';

/** Who may act on a board: anyone of its workshop, or only its facilitators. */
export type BoardAccessLevel = 'member' | 'facilitator';

export type BoardAccess = { ok: true; board: Board } | { ok: false; refusal: 'BOARD_NOT_FOUND' | 'FORBIDDEN' };

/**
 * The one check of whether `identity` may act on `boardId` (docs/api.md, "Trust model"): REST (a
 * hook on the routes that declare it), the Socket.io handlers and the content plane's upgrade
 * all ask it, so "same workshop" is written once.
 */
export async function boardAccess(workshops: WorkshopsRepository, identity: Identity, boardId: string, level: BoardAccessLevel = 'member'): Promise<BoardAccess> {
  const board = await workshops.board(boardId);
  if (!board) return { ok: false, refusal: 'BOARD_NOT_FOUND' };
  if (!workshopAccess(identity, board.workshopId, level)) return { ok: false, refusal: 'FORBIDDEN' };
  return { ok: true, board };
}

/** The same rule for a workshop's own routes (its challenges, its facilitator link). */
export const workshopAccess = (identity: Identity, workshopId: string, level: BoardAccessLevel = 'member'): boolean =>
  identity.workshopId === workshopId && (level === 'member' || identity.role === 'facilitator');
