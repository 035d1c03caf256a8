import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { boardClients } from '../../../../db/schema/board-log.ts';
import { voteEvents } from '../../../../db/schema/results.ts';
import { participants, workshops } from '../../../../db/schema/workshops.ts';
import type { ResultsRepository } from '../results.ts';

/** SQLite: synchronous inside, answering promises. */
export function createSqliteResultsRepository(db: Db, now: () => number = Date.now): ResultsRepository {
  return {
    async recordVote(boardId, participantId, delta) {
      db.insert(voteEvents).values({ boardId, participantId, delta, createdAt: now() }).run();
    },

    async voteEvents(boardIds) {
      if (boardIds.length === 0) return [];
      return db
        .select({ boardId: voteEvents.boardId, participantId: voteEvents.participantId, delta: voteEvents.delta, createdAt: voteEvents.createdAt })
        .from(voteEvents)
        .where(inArray(voteEvents.boardId, boardIds))
        .orderBy(asc(voteEvents.createdAt), asc(voteEvents.id))
        .all();
    },

    async people(workshopId) {
      return db
        .select({ id: participants.id, sector: participants.sector, comuna: participants.comuna, createdAt: participants.createdAt })
        .from(participants)
        .where(eq(participants.workshopId, workshopId))
        .all();
    },

    async clientOwners(boardId) {
      const rows = db.select({ client: boardClients.clientId, owner: boardClients.ownerId }).from(boardClients).where(eq(boardClients.boardId, boardId)).all();
      return new Map(rows.map((r) => [r.client, r.owner]));
    },

    async setPublished(workshopId, published) {
      const at = published ? now() : null;
      db.update(workshops).set({ resultsPublishedAt: at }).where(eq(workshops.id, workshopId)).run();
      return at;
    }
  };
}
