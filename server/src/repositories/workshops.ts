import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { boards, participants, workshops, type Board, type Participant, type Workshop } from '../../../db/schema/workshops.ts';
import type { ChallengeDraft } from '../../../contract/challenges.ts';
import type { Comuna, SectorId } from '../../../seed/reference.ts';
import { newId, newJoinCode } from '../auth/ids.ts';
import { insertOwnChallenges, numberChallenges } from './challenges.ts';

export interface WorkshopWithBoards extends Workshop {
  boards: Board[];
}

export function createWorkshopsRepository(db: Db, now: () => number = Date.now) {
  function codeInUse(code: string) {
    return db.select({ id: workshops.id }).from(workshops).where(eq(workshops.code, code)).get() !== undefined;
  }

  return {
    /**
     * Creates the workshop, its own challenges (numbered by `numberChallenges`, so no two boards
     * share a number) and one board per challenge, seeded ones first, in one transaction.
     */
    create(input: { title: string; seeded: readonly { id: string; number: number }[]; own: readonly ChallengeDraft[] }): WorkshopWithBoards {
      return db.transaction((tx) => {
        let code = newJoinCode();
        while (codeInUse(code)) code = newJoinCode();
        const createdAt = now();
        const workshop: Workshop = { id: newId(), code, title: input.title, createdAt, joinPolicy: 'open', facilitatorTokenGen: 0, resultsPublishedAt: null };
        tx.insert(workshops).values(workshop).run();
        const numbers = numberChallenges(input.seeded.map((c) => c.number), input.own.map((c) => c.number));
        const challengeIds = [...input.seeded.map((c) => c.id), ...insertOwnChallenges(tx, workshop.id, input.own, numbers)];
        const rows: Board[] = challengeIds.map((challengeId, position) => ({
          id: newId(),
          workshopId: workshop.id,
          challengeId,
          position,
          createdAt,
          teamName: null
        }));
        tx.insert(boards).values(rows).run();
        return { ...workshop, boards: rows };
      });
    },

    byCode(code: string): WorkshopWithBoards | null {
      const workshop = db.select().from(workshops).where(eq(workshops.code, code)).get();
      if (!workshop) return null;
      const rows = db.select().from(boards).where(eq(boards.workshopId, workshop.id)).orderBy(asc(boards.position)).all();
      return { ...workshop, boards: rows };
    },

    byId(id: string): Workshop | null {
      return db.select().from(workshops).where(eq(workshops.id, id)).get() ?? null;
    },

    /** Starts a new facilitator token generation (revoking every earlier token); returns it. */
    rotateFacilitatorToken(workshopId: string): number {
      const row = db
        .update(workshops)
        .set({ facilitatorTokenGen: sql`${workshops.facilitatorTokenGen} + 1` })
        .where(eq(workshops.id, workshopId))
        .returning({ gen: workshops.facilitatorTokenGen })
        .get();
      if (!row) throw new Error(`no workshop ${workshopId}`);
      return row.gen;
    },

    board(id: string): Board | null {
      return db.select().from(boards).where(eq(boards.id, id)).get() ?? null;
    },

    setTeamName(boardId: string, teamName: string | null): void {
      db.update(boards).set({ teamName }).where(eq(boards.id, boardId)).run();
    },

    addParticipant(input: { workshopId: string; name: string; sector: SectorId; comuna: Comuna; deviceId: string | null }): Participant {
      const row: Participant = { id: newId(), ...input, createdAt: now(), removedAt: null };
      db.insert(participants).values(row).run();
      return row;
    },

    /** Marks a participant removed: their token stops working. False if not an active participant. */
    removeParticipant(workshopId: string, id: string): boolean {
      const result = db
        .update(participants)
        .set({ removedAt: now() })
        .where(and(eq(participants.id, id), eq(participants.workshopId, workshopId), isNull(participants.removedAt)))
        .run();
      return result.changes > 0;
    },

    /** An active (not removed) participant of the workshop, or null. */
    activeParticipant(workshopId: string, id: string): Participant | null {
      return (
        db
          .select()
          .from(participants)
          .where(and(eq(participants.id, id), eq(participants.workshopId, workshopId), isNull(participants.removedAt)))
          .get() ?? null
      );
    }
  };
}

export type WorkshopsRepository = ReturnType<typeof createWorkshopsRepository>;
