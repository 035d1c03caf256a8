import type { PgDb } from '../../../../db/pg.ts';
import type { Repositories } from '../repositories.ts';
import { createPgChallengesRepository } from './challenges.ts';
import { createPgCheckpointsRepository } from './checkpoints.ts';
import { createPgJoiningRepository } from './joining.ts';
import { createPgResultsRepository } from './results.ts';
import { createPgWorkshopsRepository } from './workshops.ts';

/** The repositories on PostgreSQL (DATABASE_URL): node-postgres pool, real transactions. */
export function createPgRepositories(db: PgDb, now: () => number = Date.now): Repositories {
  return {
    challenges: createPgChallengesRepository(db),
    workshops: createPgWorkshopsRepository(db, now),
    joining: createPgJoiningRepository(db, now),
    results: createPgResultsRepository(db, now),
    checkpoints: createPgCheckpointsRepository(db, now)
  };
}
