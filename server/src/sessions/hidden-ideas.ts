import * as Y from 'yjs';
import { dotsUsed, voteKey } from '../realtime/votes.ts';
import type { BoardStorage } from '../sync/storage/board-storage.ts';
import { hiddenDocId, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { writeTogether } from './write-together.ts';

/**
 * Hiding an idea takes it out of the board's doc, so no participant's browser receives it, into
 * the board's hidden doc (`/yjs/<boardId>:hidden`), which only facilitators may open and only the
 * server writes. Its votes go with it; showing it brings both back. Each move is one unit of the
 * store (one SQLite transaction) whose broadcasts wait for the commit.
 */

type Fields = Record<string, unknown>;

const ideasOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('ideas');
const votesOf = (doc: Y.Doc) => doc.getMap<number>('votes');
const votesOn = (doc: Y.Doc, ideaId: string) => [...votesOf(doc).entries()].filter(([key]) => key.startsWith(`${ideaId}|`));

function putIdea(doc: Y.Doc, id: string, fields: Fields): void {
  const idea = new Y.Map<unknown>();
  ideasOf(doc).set(id, idea);
  for (const [key, value] of Object.entries(fields)) idea.set(key, value);
}

function dropIdea(doc: Y.Doc, id: string): void {
  ideasOf(doc).delete(id);
  for (const [key] of votesOn(doc, id)) votesOf(doc).delete(key);
}

/** Runs `use` with the board's room and its hidden doc's room loaded. */
async function withBoardAndHidden<T>(rooms: Rooms, boardId: string, use: (board: Room, hidden: Room) => Promise<T>): Promise<T> {
  const board = await rooms.acquire(boardId);
  const hidden = await rooms.acquire(hiddenDocId(boardId)).catch((err: unknown) => {
    rooms.release(board);
    throw err;
  });
  try {
    return await use(board, hidden);
  } finally {
    rooms.release(hidden);
    rooms.release(board);
  }
}

function moveToHidden(storage: BoardStorage, board: Room, hidden: Room, ids: readonly string[]): Promise<void> {
  const moving = ids.map((id) => {
    const { hidden: _legacyFlag, ...fields } = ideasOf(board.doc).get(id)!.toJSON() as Fields;
    return { id, fields, votes: votesOn(board.doc, id) };
  });
  const keep = (doc: Y.Doc) => {
    for (const { id, fields, votes } of moving) {
      putIdea(doc, id, fields);
      for (const [key, dots] of votes) votesOf(doc).set(key, dots);
    }
  };
  return writeTogether(storage, [
    { room: hidden, reason: 'moderation: keep hidden idea', write: keep },
    { room: board, reason: 'moderation: hide idea', write: (doc) => ids.forEach((id) => dropIdea(doc, id)) }
  ]);
}

function moveToBoard(storage: BoardStorage, board: Room, hidden: Room, id: string, voteBudget: number): Promise<void> {
  const fields = ideasOf(hidden.doc).get(id)!.toJSON() as Fields;
  if (typeof fields.clusterId === 'string' && !board.doc.getMap('clusters').has(fields.clusterId)) fields.clusterId = null;
  const votes = votesOn(hidden.doc, id).flatMap(([key, dots]) => {
    const voter = key.slice(id.length + 1);
    const restored = Math.min(dots, Math.max(0, voteBudget - dotsUsed(board.doc, voter)));
    return restored > 0 ? [[voteKey(id, voter), restored] as const] : [];
  });
  const restore = (doc: Y.Doc) => {
    putIdea(doc, id, fields);
    for (const [key, dots] of votes) votesOf(doc).set(key, dots);
  };
  return writeTogether(storage, [
    { room: board, reason: 'moderation: show idea', write: restore },
    { room: hidden, reason: 'moderation: idea shown', write: (doc) => dropIdea(doc, id) }
  ]);
}

/**
 * Hides an idea from participants, or shows it again. Showing restores its author, text and group
 * (ungrouped if the group is gone) and each voter's dots as far as their budget allows now: dots
 * return to the voters while the idea is hidden, and they may have spent them elsewhere.
 * Resolves with false if the idea is neither on the board nor hidden.
 */
export function setIdeaHidden(rooms: Rooms, storage: BoardStorage, boardId: string, ideaId: string, hide: boolean, voteBudget: number): Promise<boolean> {
  return withBoardAndHidden(rooms, boardId, async (board, hidden) => {
    const onBoard = ideasOf(board.doc).has(ideaId);
    const isHidden = ideasOf(hidden.doc).has(ideaId);
    if (hide && onBoard) await moveToHidden(storage, board, hidden, [ideaId]);
    if (!hide && isHidden) await moveToBoard(storage, board, hidden, ideaId, voteBudget);
    return onBoard || isHidden;
  });
}

/** Deletes a hidden idea for good, with its votes. Resolves with false if it is not hidden. */
export function removeHiddenIdea(rooms: Rooms, storage: BoardStorage, boardId: string, ideaId: string): Promise<boolean> {
  return withBoardAndHidden(rooms, boardId, async (_board, hidden) => {
    if (!ideasOf(hidden.doc).has(ideaId)) return false;
    await writeTogether(storage, [{ room: hidden, reason: 'moderation: remove hidden idea', write: (doc) => dropIdea(doc, ideaId) }]);
    return true;
  });
}

/**
 * Boards stored before hidden ideas had their own doc mark them `hidden: true` in the board
 * itself, where every participant receives them: on load, move those into the hidden doc.
 */
export async function moveLegacyHiddenIdeas(rooms: Rooms, storage: BoardStorage, board: Room): Promise<void> {
  if (board.privateOwner !== null || board.hidden) return;
  const ids = [...ideasOf(board.doc).entries()].filter(([, idea]) => idea instanceof Y.Map && idea.get('hidden') === true).map(([id]) => id);
  if (ids.length === 0) return;
  const hidden = await rooms.acquire(hiddenDocId(board.boardId));
  try {
    await moveToHidden(storage, board, hidden, ids);
  } finally {
    rooms.release(hidden);
  }
}
