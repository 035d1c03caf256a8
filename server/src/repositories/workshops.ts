import type { ChallengeDraft } from '../../../contract/challenges.ts';
import type { Board, Participant, Workshop } from '../../../db/schema/workshops.ts';
import type { Comuna, SectorId } from '../../../seed/reference.ts';
import { newId } from '../auth/ids.ts';
import { numberChallenges, ownChallengeRows, type OwnChallengeRows } from './challenges.ts';

export interface WorkshopWithBoards extends Workshop {
  boards: Board[];
}

export interface NewWorkshop {
  title: string;
  seeded: readonly { id: string; number: number }[];
  own: readonly ChallengeDraft[];
}

export interface NewParticipant {
  workshopId: string;
  name: string;
  sector: SectorId;
  comuna: Comuna;
  deviceId: string | null;
}

/** Workshops, their boards and participants. One implementation per engine (sqlite/, pg/). */
export interface WorkshopsRepository {
  /**
   * Creates the workshop with a join code no other workshop has, its own challenges (numbered by
   * `numberChallenges`, so no two boards share a number) and one board per challenge, seeded ones
   * first, in one transaction.
   */
  create(input: NewWorkshop): Promise<WorkshopWithBoards>;
  byCode(code: string): Promise<WorkshopWithBoards | null>;
  byId(id: string): Promise<Workshop | null>;
  /** Starts a new facilitator token generation (revoking every earlier token); returns it. */
  rotateFacilitatorToken(workshopId: string): Promise<number>;
  board(id: string): Promise<Board | null>;
  setTeamName(boardId: string, teamName: string | null): Promise<void>;
  addParticipant(input: NewParticipant): Promise<Participant>;
  /** Marks a participant removed: their token stops working. False if not an active participant. */
  removeParticipant(workshopId: string, id: string): Promise<boolean>;
  /** An active (not removed) participant of the workshop, or null. */
  activeParticipant(workshopId: string, id: string): Promise<Participant | null>;
}

/** Everything a new workshop writes but its code, which each engine makes unique its own way. */
export interface WorkshopDraft {
  workshop: Omit<Workshop, 'code'>;
  own: OwnChallengeRows;
  boards: Board[];
}

export function draftWorkshop(input: NewWorkshop, createdAt: number): WorkshopDraft {
  const workshop = { id: newId(), title: input.title, createdAt, joinPolicy: 'open' as const, facilitatorTokenGen: 0, resultsPublishedAt: null };
  const numbers = numberChallenges(input.seeded.map((c) => c.number), input.own.map((c) => c.number));
  const own = ownChallengeRows(workshop.id, input.own, numbers);
  const challengeIds = [...input.seeded.map((c) => c.id), ...own.challenges.map((c) => c.id)];
  const boards = challengeIds.map((challengeId, position) => ({ id: newId(), workshopId: workshop.id, challengeId, position, createdAt, teamName: null }));
  return { workshop, own, boards };
}

export const newParticipant = (input: NewParticipant, createdAt: number): Participant => ({ id: newId(), ...input, createdAt, removedAt: null });
