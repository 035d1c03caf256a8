import { and, asc, count, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { PgDb } from '../../../../db/pg.ts';
import { joinRequests, participants, workshops } from '../../../../db/schema-pg/workshops.ts';
import type { JoinRequest } from '../../../../db/schema/workshops.ts';
import type { Comuna, SectorId } from '../../../../seed/reference.ts';
import { newJoinRequest, secretMatches, type JoiningRepository } from '../joining.ts';
import { insertPgParticipant } from './workshops.ts';

/** The workshop's requests still waiting for an answer. */
const pendingIn = (workshopId: string) => and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending'));

/**
 * PostgreSQL. What SQLite's one writer serialised is serialised here by the database: a request is
 * decided by the one `update … where status = 'pending'` that finds it pending, and one browser's
 * asks by a transaction-scoped advisory lock on (workshop, device).
 */
export function createPgJoiningRepository(db: PgDb, now: () => number = Date.now): JoiningRepository {
  return {
    async policy(workshopId) {
      const [row] = await db.select({ p: workshops.joinPolicy }).from(workshops).where(eq(workshops.id, workshopId));
      return row?.p ?? 'closed';
    },

    async setPolicy(workshopId, policy) {
      await db.update(workshops).set({ joinPolicy: policy }).where(eq(workshops.id, workshopId));
    },

    async barred(workshopId, deviceId) {
      const [removed] = await db
        .select({ id: participants.id })
        .from(participants)
        .where(and(eq(participants.workshopId, workshopId), eq(participants.deviceId, deviceId), isNotNull(participants.removedAt)))
        .limit(1);
      if (removed) return 'removed';
      const [refused] = await db
        .select({ id: joinRequests.id })
        .from(joinRequests)
        .where(and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.deviceId, deviceId), eq(joinRequests.status, 'refused')))
        .limit(1);
      return refused ? 'refused' : null;
    },

    async waiting(workshopId) {
      return db
        .select()
        .from(joinRequests)
        .where(pendingIn(workshopId))
        .orderBy(asc(joinRequests.createdAt), asc(joinRequests.id));
    },

    async waitingCount(workshopId) {
      const [row] = await db
        .select({ n: count() })
        .from(joinRequests)
        .where(pendingIn(workshopId));
      return row?.n ?? 0;
    },

    async ask(joiner, maxWaiting) {
      const asked = newJoinRequest(joiner, now());
      const { workshopId, deviceId } = joiner;
      return db.transaction(async (tx) => {
        // One ask of a workshop at a time, whichever process it came through: the bound is counted
        // after the asks before this one committed, and a browser asking twice at once replaces
        // its first request.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`join:${workshopId}`}, 0))`);
        const [others] = await tx.select({ n: count() }).from(joinRequests).where(and(pendingIn(workshopId), ne(joinRequests.deviceId, deviceId)));
        if ((others?.n ?? 0) >= maxWaiting) return null;
        await tx.delete(joinRequests).where(and(pendingIn(workshopId), eq(joinRequests.deviceId, deviceId)));
        await tx.insert(joinRequests).values(asked.request);
        return asked;
      });
    },

    async read(workshopId, requestId, secret) {
      const [request] = await db.select().from(joinRequests).where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId)));
      return request && secretMatches(request, secret) ? request : null;
    },

    async decide(workshopId, requestId, approve) {
      return db.transaction(async (tx) => {
        const at = now();
        // Claimed by the update itself: of two facilitators deciding at once, the second finds it decided.
        const [claimed] = await tx
          .update(joinRequests)
          .set({ status: approve ? 'approved' : 'refused', decidedAt: at })
          .where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending')))
          .returning();
        if (!claimed) return null;
        if (!approve) return { request: claimed, participant: null };
        const participant = await insertPgParticipant(
          tx,
          { workshopId, name: claimed.name, sector: claimed.sector as SectorId, comuna: claimed.comuna as Comuna, deviceId: claimed.deviceId },
          at
        );
        await tx.update(joinRequests).set({ participantId: participant.id }).where(eq(joinRequests.id, requestId));
        const request: JoinRequest = { ...claimed, participantId: participant.id };
        return { request, participant };
      });
    }
  };
}
