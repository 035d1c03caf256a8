import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { boardClients } from '../../../db/schema/board-log.ts';
import { voteEvents } from '../../../db/schema/results.ts';
import { participants, workshops } from '../../../db/schema/workshops.ts';

/** What the workshop's results read besides the board docs: vote times, people, publication. */
export function createResultsRepository(db: Db, now: () => number = Date.now) {
  return {
    recordVote(boardId: string, participantId: string, delta: 1 | -1): void {
      db.insert(voteEvents).values({ boardId, participantId, delta, createdAt: now() }).run();
    },

    /** Dots given and withdrawn on these boards, oldest first. */
    voteEvents(boardIds: string[]): { boardId: string; participantId: string; delta: number; createdAt: number }[] {
      if (boardIds.length === 0) return [];
      return db
        .select({ boardId: voteEvents.boardId, participantId: voteEvents.participantId, delta: voteEvents.delta, createdAt: voteEvents.createdAt })
        .from(voteEvents)
        .where(inArray(voteEvents.boardId, boardIds))
        .orderBy(asc(voteEvents.createdAt), asc(voteEvents.id))
        .all();
    },

    /** Everyone who joined the workshop (removed people included: they took part). */
    people(workshopId: string): { id: string; sector: string; comuna: string; createdAt: number }[] {
      return db
        .select({ id: participants.id, sector: participants.sector, comuna: participants.comuna, createdAt: participants.createdAt })
        .from(participants)
        .where(eq(participants.workshopId, workshopId))
        .all();
    },

    /** Who owns each Yjs clientID of a board (participants' writes and presence bind them). */
    clientOwners(boardId: string): Map<number, string> {
      const rows = db.select({ client: boardClients.clientId, owner: boardClients.ownerId }).from(boardClients).where(eq(boardClients.boardId, boardId)).all();
      return new Map(rows.map((r) => [r.client, r.owner]));
    },

    setPublished(workshopId: string, published: boolean): number | null {
      const at = published ? now() : null;
      db.update(workshops).set({ resultsPublishedAt: at }).where(and(eq(workshops.id, workshopId))).run();
      return at;
    }
  };
}

export type ResultsRepository = ReturnType<typeof createResultsRepository>;
