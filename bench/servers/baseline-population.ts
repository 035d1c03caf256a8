import { CHALLENGES } from '../../seed/challenges.ts';
import { Random } from '../lib/random.ts';
import { person } from '../load/people.ts';
import { boardSeed } from '../load/seed.ts';
import { seedBoard } from './seed-board.ts';
import type { BoardInfo, Population, Protocol, Seat, ServerName } from './types.ts';

/**
 * Boards and participants for the baselines, which have no accounts: ids are made up, and each
 * board gets the same seed clusters Minga's boards get (sent through the server, or applied
 * locally by every worker for the stateless relay).
 */
export async function populateBaseline(
  server: ServerName,
  protocol: Protocol,
  urlOf: (boardId: string) => string,
  layout: { boards: number; editorsPerBoard: number; seed: number }
): Promise<Population> {
  const rng = new Random(layout.seed);
  const boards: BoardInfo[] = [];
  const seeds: Uint8Array[] = [];
  for (let i = 0; i < layout.boards; i++) {
    const boardId = `b${rng.id(12)}`;
    const questionIds = CHALLENGES[i % CHALLENGES.length]!.questions.map((q) => q.id);
    const seed = boardSeed(layout.seed, i, questionIds);
    if (protocol === 'relay') seeds.push(seed.update);
    else await seedBoard(protocol, urlOf(boardId), boardId, seed.update, seed.clusterIds.length);
    boards.push({ boardId, docName: boardId, clusterIds: seed.clusterIds, questionIds });
  }
  const seats: Seat[] = [];
  for (let index = 0; index < layout.boards * layout.editorsPerBoard; index++) {
    const who = person(rng, index);
    const board = index % layout.boards;
    seats.push({ index, board, url: urlOf(boards[board]!.boardId), participantId: `p${rng.id(12)}`, name: who.name, sector: who.sector });
  }
  return { server, protocol, boards, seats, ...(protocol === 'relay' ? { seedLocally: seeds } : {}) };
}
