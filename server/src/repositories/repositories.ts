import type { ChallengesRepository } from './challenges.ts';
import type { CheckpointsRepository } from './checkpoints.ts';
import type { JoiningRepository } from './joining.ts';
import type { ResultsRepository } from './results.ts';
import type { WorkshopsRepository } from './workshops.ts';

/**
 * Every repository over one engine: `createSqliteRepositories` (sqlite/index.ts, the embedded
 * default) or `createPgRepositories` (pg/index.ts, with DATABASE_URL). The interfaces are the one
 * source; each engine's folder holds only its queries.
 */
export interface Repositories {
  challenges: ChallengesRepository;
  workshops: WorkshopsRepository;
  joining: JoiningRepository;
  results: ResultsRepository;
  checkpoints: CheckpointsRepository;
}
