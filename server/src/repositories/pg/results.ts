import { asc, eq, inArray } from 'drizzle-orm';
import type { PgDb } from '../../../../db/pg.ts';
import { boardClients } from '../../../../db/schema-pg/board-log.ts';
import { voteEvents } from '../../../../db/schema-pg/results.ts';
import { participants, workshops } from '../../../../db/schema-pg/workshops.ts';
import type { ResultsRepository } from '../results.ts';

/** PostgreSQL: single statements, nothing to serialise. */
export function createPgResultsRepository(db: PgDb, now: () => number = Date.now): ResultsRepository {
  return {
    async recordVote(boardId, participantId, delta) {
      await db.insert(voteEvents).values({ boardId, participantId, delta, createdAt: now() });
    },

    async voteEvents(boardIds) {
      if (boardIds.length === 0) return [];
      return db
        .select({ boardId: voteEvents.boardId, participantId: voteEvents.participantId, delta: voteEvents.delta, createdAt: voteEvents.createdAt })
        .from(voteEvents)
        .where(inArray(voteEvents.boardId, boardIds))
        .orderBy(asc(voteEvents.createdAt), asc(voteEvents.id));
    },

    async people(workshopId) {
      return db
        .select({ id: participants.id, sector: participants.sector, comuna: participants.comuna, createdAt: participants.createdAt })
        .from(participants)
        .where(eq(participants.workshopId, workshopId));
    },

    async clientOwners(boardId) {
      const rows = await db.select({ client: boardClients.clientId, owner: boardClients.ownerId }).from(boardClients).where(eq(boardClients.boardId, boardId));
      return new Map(rows.map((r) => [r.client, r.owner]));
    },

    async setPublished(workshopId, published) {
      const at = published ? now() : null;
      await db.update(workshops).set({ resultsPublishedAt: at }).where(eq(workshops.id, workshopId));
      return at;
    }
  };
}
