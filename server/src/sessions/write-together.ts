import type * as Y from 'yjs';
import { CloseCode } from '../errors.ts';
import type { BoardStorage } from '../sync/storage/board-storage.ts';
import type { Room } from '../sync/room.ts';

export interface ServerWrite {
  room: Room;
  reason: string;
  write: (doc: Y.Doc) => void;
}

/**
 * A server write inside `BoardStorage.atomically`: its append joins the unit, and a write that
 * throws throws here, so the unit stores nothing.
 */
export function writeInUnit(room: Room, reason: string, write: (doc: Y.Doc) => void): void {
  if (room.isClosed) throw new Error('room closed');
  let thrown: { err: unknown } | null = null;
  void room.serverWrite(reason, (doc) => {
    try {
      write(doc);
    } catch (err) {
      thrown = { err };
      throw err;
    }
  });
  if (thrown) throw (thrown as { err: unknown }).err;
}

/**
 * Server writes to several docs (a board and its private or hidden docs) as one unit of the
 * store (one SQLite transaction); their broadcasts wait for the commit. If one fails, nothing was
 * stored or sent, and the rooms are dropped (memory is ahead of disk) so they reload what was stored.
 */
export async function writeTogether(storage: BoardStorage, writes: readonly ServerWrite[]): Promise<void> {
  try {
    await storage.atomically(() => {
      for (const { room, reason, write } of writes) writeInUnit(room, reason, write);
    });
  } catch (err) {
    for (const { room } of writes) room.close(CloseCode.StorageFailed, 'moderation write failed');
    throw err;
  }
}
