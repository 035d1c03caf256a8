import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { joinRequests, participants, workshops, type JoinPolicy, type JoinRequest, type Participant } from '../../../db/schema/workshops.ts';
import type { Comuna, SectorId } from '../../../seed/reference.ts';
import { newId } from '../auth/ids.ts';
import type { WorkshopsRepository } from './workshops.ts';

export interface Joiner {
  workshopId: string;
  name: string;
  sector: SectorId;
  comuna: Comuna;
  deviceId: string;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Who may join a workshop: its policy (open, approval, closed), the waiting list of people asking
 * to join, and the browsers barred from it (a removed participant's or a refused request's).
 */
export function createJoiningRepository(db: Db, workshopsRepo: WorkshopsRepository, now: () => number = Date.now) {
  return {
    policy(workshopId: string): JoinPolicy {
      return db.select({ p: workshops.joinPolicy }).from(workshops).where(eq(workshops.id, workshopId)).get()?.p ?? 'closed';
    },

    setPolicy(workshopId: string, policy: JoinPolicy): void {
      db.update(workshops).set({ joinPolicy: policy }).where(eq(workshops.id, workshopId)).run();
    },

    /** Why this browser may not join the workshop, or null. */
    barred(workshopId: string, deviceId: string): 'removed' | 'refused' | null {
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

    /** People waiting for a facilitator's answer, first come first. */
    waiting(workshopId: string): JoinRequest[] {
      return db
        .select()
        .from(joinRequests)
        .where(and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending')))
        .orderBy(asc(joinRequests.createdAt), asc(joinRequests.id))
        .all();
    },

    waitingCount(workshopId: string): number {
      return (
        db
          .select({ n: count() })
          .from(joinRequests)
          .where(and(eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending')))
          .get()?.n ?? 0
      );
    },

    /**
     * Puts a person on the waiting list; the secret (returned once, stored hashed) lets their browser
     * read the answer. A browser waits at most once per workshop: asking again replaces its request.
     */
    ask(joiner: Joiner): { request: JoinRequest; secret: string } {
      const secret = randomBytes(24).toString('base64url');
      const request: JoinRequest = {
        id: newId(),
        ...joiner,
        secretHash: hash(secret),
        status: 'pending',
        createdAt: now(),
        decidedAt: null,
        participantId: null
      };
      db.transaction((tx) => {
        tx.delete(joinRequests)
          .where(and(eq(joinRequests.workshopId, joiner.workshopId), eq(joinRequests.deviceId, joiner.deviceId), eq(joinRequests.status, 'pending')))
          .run();
        tx.insert(joinRequests).values(request).run();
      });
      return { request, secret };
    },

    /** The request, if `secret` is the one its browser was given. */
    read(workshopId: string, requestId: string, secret: string): JoinRequest | null {
      const request = db.select().from(joinRequests).where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId))).get();
      if (!request) return null;
      const given = Buffer.from(hash(secret), 'hex');
      return timingSafeEqual(given, Buffer.from(request.secretHash, 'hex')) ? request : null;
    },

    /**
     * Approves (the person becomes a participant, in the same transaction) or refuses a waiting
     * request. Null if there is no such request waiting.
     */
    decide(workshopId: string, requestId: string, approve: boolean): { request: JoinRequest; participant: Participant | null } | null {
      return db.transaction((tx) => {
        const request = tx
          .select()
          .from(joinRequests)
          .where(and(eq(joinRequests.id, requestId), eq(joinRequests.workshopId, workshopId), eq(joinRequests.status, 'pending')))
          .get();
        if (!request) return null;
        const participant = approve
          ? workshopsRepo.addParticipant({ workshopId, name: request.name, sector: request.sector as SectorId, comuna: request.comuna as Comuna, deviceId: request.deviceId })
          : null;
        const decided: JoinRequest = { ...request, status: approve ? 'approved' : 'refused', decidedAt: now(), participantId: participant?.id ?? null };
        tx.update(joinRequests).set({ status: decided.status, decidedAt: decided.decidedAt, participantId: decided.participantId }).where(eq(joinRequests.id, requestId)).run();
        return { request: decided, participant };
      });
    }
  };
}

export type JoiningRepository = ReturnType<typeof createJoiningRepository>;
