import type { Db } from '../../../../db/client.ts';
import type { Repositories } from '../repositories.ts';
import { createSqliteChallengesRepository } from './challenges.ts';
import { createSqliteCheckpointsRepository } from './checkpoints.ts';
import { createSqliteJoiningRepository } from './joining.ts';
import { createSqliteResultsRepository } from './results.ts';
import { createSqliteWorkshopsRepository } from './workshops.ts';

/** The repositories on the SQLite file (better-sqlite3: synchronous queries behind promises). */
export function createSqliteRepositories(db: Db, now: () => number = Date.now): Repositories {
  return {
    challenges: createSqliteChallengesRepository(db),
    workshops: createSqliteWorkshopsRepository(db, now),
    joining: createSqliteJoiningRepository(db, now),
    results: createSqliteResultsRepository(db, now),
    checkpoints: createSqliteCheckpointsRepository(db, now)
  };
}
