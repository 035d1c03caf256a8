import * as Y from 'yjs';
import type { BoardLog } from '../sync/extensions/persistence.ts';
import type { Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { writeTogether } from './write-together.ts';

/**
 * Moves every private idea of a board into the board, authors kept, and empties the private docs:
 * all in one SQLite transaction whose broadcasts wait for the commit. Returns how many moved.
 */
export function revealPrivateIdeas(rooms: Rooms, log: BoardLog, boardId: string): number {
  const main = rooms.acquire(boardId);
  const privates = log.privateDocIds(boardId).map((id) => rooms.acquire(id));
  const used = [main, ...privates];
  try {
    const moving = privates.map((room) => ({
      room,
      ideas: [...room.doc.getMap<Y.Map<unknown>>('ideas').entries()].map(([id, idea]) => [id, idea.toJSON()] as const)
    }));
    const count = moving.reduce((n, m) => n + m.ideas.length, 0);
    if (count === 0) return 0;
    writeTogether(log, [
      {
        room: main,
        reason: 'reveal private ideas',
        write: (doc) => {
          const ideas = doc.getMap<Y.Map<unknown>>('ideas');
          for (const { ideas: list } of moving) {
            for (const [id, fields] of list) {
              if (ideas.has(id)) continue;
              const idea = new Y.Map<unknown>();
              ideas.set(id, idea);
              for (const [key, value] of Object.entries(fields)) idea.set(key, value);
            }
          }
        }
      },
      ...moving.map(({ room, ideas: list }) => ({
        room,
        reason: 'revealed',
        write: (doc: Y.Doc) => {
          for (const [id] of list) doc.getMap('ideas').delete(id);
        }
      }))
    ]);
    return count;
  } finally {
    for (const room of used) rooms.release(room);
  }
}

/** Deletes an idea and the votes on it. Returns false if there is no such idea. */
export function removeIdea(room: Room, ideaId: string): boolean {
  if (!room.doc.getMap('ideas').has(ideaId)) return false;
  const failed = room.serverWrite('moderation: remove idea', (doc) => {
    doc.getMap('ideas').delete(ideaId);
    const votes = doc.getMap('votes');
    for (const key of [...votes.keys()]) if (key.startsWith(`${ideaId}|`)) votes.delete(key);
  });
  if (failed) throw failed;
  return true;
}
