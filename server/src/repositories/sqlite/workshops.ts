import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { challenges, questions } from '../../../../db/schema/challenges.ts';
import { boards, participants, workshops, type Participant, type Workshop } from '../../../../db/schema/workshops.ts';
import { newJoinCode } from '../../auth/ids.ts';
import { draftWorkshop, newParticipant, type NewParticipant, type WorkshopsRepository } from '../workshops.ts';

/** The database or a transaction on it: both write alike. */
type Writer = Pick<Db, 'insert'>;

/** Inserts a participant through `tx` (the joining repository's approval runs it in its transaction). */
export function insertParticipant(tx: Writer, input: NewParticipant, createdAt: number): Participant {
  const row = newParticipant(input, createdAt);
  tx.insert(participants).values(row).run();
  return row;
}

/**
 * SQLite: synchronous inside (one writer, so reading whether a code is taken and then inserting it
 * in one transaction cannot race), answering promises.
 */
export function createSqliteWorkshopsRepository(db: Db, now: () => number = Date.now): WorkshopsRepository {
  const codeInUse = (code: string) => db.select({ id: workshops.id }).from(workshops).where(eq(workshops.code, code)).get() !== undefined;

  return {
    async create(input) {
      return db.transaction((tx) => {
        let code = newJoinCode();
        while (codeInUse(code)) code = newJoinCode();
        const draft = draftWorkshop(input, now());
        const workshop: Workshop = { ...draft.workshop, code };
        tx.insert(workshops).values(workshop).run();
        if (draft.own.challenges.length > 0) {
          tx.insert(challenges).values(draft.own.challenges).run();
          tx.insert(questions).values(draft.own.questions).run();
        }
        tx.insert(boards).values(draft.boards).run();
        return { ...workshop, boards: draft.boards };
      });
    },

    async byCode(code) {
      const workshop = db.select().from(workshops).where(eq(workshops.code, code)).get();
      if (!workshop) return null;
      const rows = db.select().from(boards).where(eq(boards.workshopId, workshop.id)).orderBy(asc(boards.position)).all();
      return { ...workshop, boards: rows };
    },

    async byId(id) {
      return db.select().from(workshops).where(eq(workshops.id, id)).get() ?? null;
    },

    async rotateFacilitatorToken(workshopId) {
      const row = db
        .update(workshops)
        .set({ facilitatorTokenGen: sql`${workshops.facilitatorTokenGen} + 1` })
        .where(eq(workshops.id, workshopId))
        .returning({ gen: workshops.facilitatorTokenGen })
        .get();
      if (!row) throw new Error(`no workshop ${workshopId}`);
      return row.gen;
    },

    async board(id) {
      return db.select().from(boards).where(eq(boards.id, id)).get() ?? null;
    },

    async setTeamName(boardId, teamName) {
      db.update(boards).set({ teamName }).where(eq(boards.id, boardId)).run();
    },

    async addParticipant(input) {
      return insertParticipant(db, input, now());
    },

    async removeParticipant(workshopId, id) {
      const result = db
        .update(participants)
        .set({ removedAt: now() })
        .where(and(eq(participants.id, id), eq(participants.workshopId, workshopId), isNull(participants.removedAt)))
        .run();
      return result.changes > 0;
    },

    async activeParticipant(workshopId, id) {
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
