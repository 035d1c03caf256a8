import type * as Y from 'yjs';
import { CloseCode } from '../errors.ts';
import type { BoardLog } from '../sync/extensions/persistence.ts';
import type { Room } from '../sync/room.ts';

export interface ServerWrite {
  room: Room;
  reason: string;
  write: (doc: Y.Doc) => void;
}

/**
 * Server writes to several docs (a board and its private or hidden docs) in one SQLite
 * transaction; their broadcasts wait for the commit. If one fails, nothing was stored or sent,
 * and the rooms are dropped (memory is ahead of disk) so they reload what was stored.
 */
export function writeTogether(log: BoardLog, writes: readonly ServerWrite[]): void {
  try {
    log.atomically(() => {
      for (const { room, reason, write } of writes) {
        const failed = room.serverWrite(reason, write);
        if (failed) throw failed;
      }
    });
  } catch (err) {
    for (const { room } of writes) room.close(CloseCode.StorageFailed, 'moderation write failed');
    throw err;
  }
}
