import { newStoredSecret, secretMatches as matches } from '../auth/stored-secret.ts';
import type { JoinPolicy, JoinRequest, Participant } from '../../../db/schema/workshops.ts';
import type { Comuna, SectorId } from '../../../seed/reference.ts';
import { newId } from '../auth/ids.ts';

export interface Joiner {
  workshopId: string;
  name: string;
  sector: SectorId;
  comuna: Comuna;
  deviceId: string;
}

export interface JoinDecision {
  request: JoinRequest;
  participant: Participant | null;
}

/**
 * Who may join a workshop: its policy (open, approval, closed), the waiting list of people asking
 * to join, and the browsers barred from it (a removed participant's or a refused request's).
 * One implementation per engine (sqlite/, pg/).
 */
export interface JoiningRepository {
  policy(workshopId: string): Promise<JoinPolicy>;
  setPolicy(workshopId: string, policy: JoinPolicy): Promise<void>;
  /** Why this browser may not join the workshop, or null. */
  barred(workshopId: string, deviceId: string): Promise<'removed' | 'refused' | null>;
  /** People waiting for a facilitator's answer, first come first. */
  waiting(workshopId: string): Promise<JoinRequest[]>;
  waitingCount(workshopId: string): Promise<number>;
  /**
   * Puts a person on the waiting list; the secret (returned once, stored hashed) lets their browser
   * read the answer. A browser waits at most once per workshop: asking again replaces its request.
   * Null, nothing stored, when `maxWaiting` others wait already: the bound is checked in the same
   * step as the insert, so asks at once (through several processes) cannot pass it.
   */
  ask(joiner: Joiner, maxWaiting: number): Promise<{ request: JoinRequest; secret: string } | null>;
  /** The request, if `secret` is the one its browser was given. */
  read(workshopId: string, requestId: string, secret: string): Promise<JoinRequest | null>;
  /**
   * Approves (the person becomes a participant, in the same transaction) or refuses a waiting
   * request, once: of two facilitators deciding at once, one does. Null if there is no such request waiting.
   */
  decide(workshopId: string, requestId: string, approve: boolean): Promise<JoinDecision | null>;
}

/** A new pending request and the secret its browser keeps (only its hash is stored). */
export function newJoinRequest(joiner: Joiner, createdAt: number): { request: JoinRequest; secret: string } {
  const { secret, hash } = newStoredSecret(24);
  return {
    request: { id: newId(), ...joiner, secretHash: hash, status: 'pending', createdAt, decidedAt: null, participantId: null },
    secret
  };
}

/** Whether `secret` is the one whose hash the request holds (in constant time). */
export const secretMatches = (request: JoinRequest, secret: string): boolean => matches(secret, request.secretHash);
