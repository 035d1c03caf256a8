import { and, asc, count, eq, isNotNull, ne } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { joinRequests, participants, workshops, type JoinRequest } from '../../../../db/schema/workshops.ts';
import type { Comuna, SectorId } from '../../../../seed/reference.ts';
import { newJoinRequest, secretMatches, type JoiningRepository } from '../joining.ts';
import { insertParticipant } from './workshops.ts';

/** The workshop's requests still waiting for an answer. */
const pendingIn = (workshopId: string) => and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending'));

/** SQLite: synchronous inside (its one writer serialises the read-then-write steps), answering promises. */
export function createSqliteJoiningRepository(db: Db, now: () => number = Date.now): JoiningRepository {
  return {
    async policy(workshopId) {
      return db.select({ p: workshops.joinPolicy }).from(workshops).where(eq(workshops.id, workshopId)).get()?.p ?? 'closed';
    },

    async setPolicy(workshopId, policy) {
      db.update(workshops).set({ joinPolicy: policy }).where(eq(workshops.id, workshopId)).run();
    },

    async barred(workshopId, deviceId) {
      const removed = db
        .select({ id: participants.id })
        .from(participants)
        .where(and(eq(participants.workshopId, workshopId), eq(participants.deviceId, deviceId), isNotNull(participants.removedAt)))
        .get();
      if (removed) return 'removed';
      const refused = db
        .select({ id: joinRequests.id })
        .from(joinRequests)
        .where(and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.deviceId, deviceId), eq(joinRequests.status, 'refused')))
        .get();
      return refused ? 'refused' : null;
    },

    async waiting(workshopId) {
      return db
        .select()
        .from(joinRequests)
        .where(pendingIn(workshopId))
        .orderBy(asc(joinRequests.createdAt), asc(joinRequests.id))
        .all();
    },

    async waitingCount(workshopId) {
      return (
        db
          .select({ n: count() })
          .from(joinRequests)
          .where(pendingIn(workshopId))
          .get()?.n ?? 0
      );
    },

    async ask(joiner, maxWaiting) {
      const asked = newJoinRequest(joiner, now());
      const { workshopId, deviceId } = joiner;
      return db.transaction((tx) => {
        const others = tx.select({ n: count() }).from(joinRequests).where(and(pendingIn(workshopId), ne(joinRequests.deviceId, deviceId))).get()?.n ?? 0;
        if (others >= maxWaiting) return null;
        tx.delete(joinRequests).where(and(pendingIn(workshopId), eq(joinRequests.deviceId, deviceId))).run();
        tx.insert(joinRequests).values(asked.request).run();
        return asked;
      });
    },

    async read(workshopId, requestId, secret) {
      const request = db.select().from(joinRequests).where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId))).get();
      return request && secretMatches(request, secret) ? request : null;
    },

    async decide(workshopId, requestId, approve) {
      return db.transaction((tx) => {
        const request = tx
          .select()
          .from(joinRequests)
          .where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending')))
          .get();
        if (!request) return null;
        const at = now();
        const participant = approve
          ? insertParticipant(tx, { workshopId, name: request.name, sector: request.sector as SectorId, comuna: request.comuna as Comuna, deviceId: request.deviceId }, at)
          : null;
        const decided: JoinRequest = { ...request, status: approve ? 'approved' : 'refused', decidedAt: at, participantId: participant?.id ?? null };
        tx.update(joinRequests).set({ status: decided.status, decidedAt: decided.decidedAt, participantId: decided.participantId }).where(eq(joinRequests.id, requestId)).run();
        return { request: decided, participant };
      });
    }
  };
}
