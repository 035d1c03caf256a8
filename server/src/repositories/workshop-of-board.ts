import type { WorkshopsRepository } from './workshops.ts';

/**
 * The workshop a board belongs to, read once per board and kept (a board never changes workshop).
 * The same promise answers every caller, so what is sent in its `.then` goes out in the order it
 * was asked for, even on PostgreSQL where two reads may complete out of order. A failed read is
 * forgotten, so the next call reads again.
 */
export function createWorkshopOfBoard(workshops: WorkshopsRepository): (boardId: string) => Promise<string | null> {
  const known = new Map<string, Promise<string | null>>();
  return (boardId) => {
    let found = known.get(boardId);
    if (!found) {
      found = workshops.board(boardId).then((board) => board?.workshopId ?? null);
      found.catch(() => known.delete(boardId));
      known.set(boardId, found);
    }
    return found;
  };
}
