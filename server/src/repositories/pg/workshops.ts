import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { PgDb } from '../../../../db/pg.ts';
import { challenges, questions } from '../../../../db/schema-pg/challenges.ts';
import { boards, participants, workshops } from '../../../../db/schema-pg/workshops.ts';
import type { Workshop } from '../../../../db/schema/workshops.ts';
import { newJoinCode } from '../../auth/ids.ts';
import { draftWorkshop, newParticipant, type NewParticipant, type WorkshopsRepository } from '../workshops.ts';

/** Codes tried before giving up: 31^6 ≈ 887 million codes, so a second try is already rare. */
const JOIN_CODE_TRIES = 16;

/** The pool or a transaction on it: both write alike. */
type Writer = Pick<PgDb, 'insert'>;

/** Inserts a participant through `tx` (the joining repository's approval runs it in its transaction). */
export async function insertPgParticipant(tx: Writer, input: NewParticipant, createdAt: number) {
  const row = newParticipant(input, createdAt);
  await tx.insert(participants).values(row);
  return row;
}

/**
 * PostgreSQL. Several processes create workshops at once, so a join code is claimed by the unique
 * constraint (`insert … on conflict (code) do nothing`), never by reading first whether it is free.
 * `newCode` is there for the test that makes two processes draw the same codes.
 */
export function createPgWorkshopsRepository(db: PgDb, now: () => number = Date.now, newCode: () => string = newJoinCode): WorkshopsRepository {
  return {
    async create(input) {
      const draft = draftWorkshop(input, now());
      return db.transaction(async (tx) => {
        let workshop: Workshop | null = null;
        for (let tries = 0; !workshop; tries++) {
          if (tries === JOIN_CODE_TRIES) throw new Error(`no free join code after ${JOIN_CODE_TRIES} tries`);
          const candidate: Workshop = { ...draft.workshop, code: newCode() };
          const claimed = await tx.insert(workshops).values(candidate).onConflictDoNothing({ target: workshops.code }).returning({ id: workshops.id });
          if (claimed.length > 0) workshop = candidate;
        }
        if (draft.own.challenges.length > 0) {
          await tx.insert(challenges).values(draft.own.challenges);
          await tx.insert(questions).values(draft.own.questions);
        }
        await tx.insert(boards).values(draft.boards);
        return { ...workshop, boards: draft.boards };
      });
    },

    async byCode(code) {
      const [workshop] = await db.select().from(workshops).where(eq(workshops.code, code));
      if (!workshop) return null;
      const rows = await db.select().from(boards).where(eq(boards.workshopId, workshop.id)).orderBy(asc(boards.position));
      return { ...workshop, boards: rows };
    },

    async byId(id) {
      const [workshop] = await db.select().from(workshops).where(eq(workshops.id, id));
      return workshop ?? null;
    },

    async rotateFacilitatorToken(workshopId) {
      // One statement: two rotations at once give two generations, never the same one twice.
      const [row] = await db
        .update(workshops)
        .set({ facilitatorTokenGen: sql`${workshops.facilitatorTokenGen} + 1` })
        .where(eq(workshops.id, workshopId))
        .returning({ gen: workshops.facilitatorTokenGen });
      if (!row) throw new Error(`no workshop ${workshopId}`);
      return row.gen;
    },

    async board(id) {
      const [board] = await db.select().from(boards).where(eq(boards.id, id));
      return board ?? null;
    },

    async setTeamName(boardId, teamName) {
      await db.update(boards).set({ teamName }).where(eq(boards.id, boardId));
    },

    addParticipant: (input) => insertPgParticipant(db, input, now()),

    async removeParticipant(workshopId, id) {
      const removed = await db
        .update(participants)
        .set({ removedAt: now() })
        .where(and(eq(participants.id, id), eq(participants.workshopId, workshopId), isNull(participants.removedAt)))
        .returning({ id: participants.id });
      return removed.length > 0;
    },

    async activeParticipant(workshopId, id) {
      const [participant] = await db
        .select()
        .from(participants)
        .where(and(eq(participants.id, id), eq(participants.workshopId, workshopId), isNull(participants.removedAt)));
      return participant ?? null;
    }
  };
}
