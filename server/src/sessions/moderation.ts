import * as Y from 'yjs';
import type { BoardStorage } from '../sync/storage/board-storage.ts';
import type { Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { writeTogether } from './write-together.ts';

/**
 * Moves every private idea of a board into the board, authors kept, and empties the private docs:
 * all as one unit of the store whose broadcasts wait for the commit. Resolves with how many moved.
 */
export async function revealPrivateIdeas(rooms: Rooms, storage: BoardStorage, boardId: string): Promise<number> {
  const ids = await storage.privateDocIds(boardId);
  const acquired = await Promise.allSettled([boardId, ...ids].map((id) => rooms.acquire(id)));
  const used = acquired.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  try {
    const refused = acquired.find((a) => a.status === 'rejected');
    if (refused) throw refused.reason;
    const [main, ...privates] = used as [Room, ...Room[]];
    const moving = privates.map((room) => ({
      room,
      ideas: [...room.doc.getMap<Y.Map<unknown>>('ideas').entries()].map(([id, idea]) => [id, idea.toJSON()] as const)
    }));
    const count = moving.reduce((n, m) => n + m.ideas.length, 0);
    if (count === 0) return 0;
    await writeTogether(storage, [
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

/** Deletes an idea and the votes on it. Resolves with false if there is no such idea. */
export async function removeIdea(room: Room, ideaId: string): Promise<boolean> {
  if (!room.doc.getMap('ideas').has(ideaId)) return false;
  const failed = await room.serverWrite('moderation: remove idea', (doc) => {
    doc.getMap('ideas').delete(ideaId);
    const votes = doc.getMap('votes');
    for (const key of [...votes.keys()]) if (key.startsWith(`${ideaId}|`)) votes.delete(key);
  });
  if (failed) throw failed;
  return true;
}
