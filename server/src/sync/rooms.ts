import type { BoardLog } from './extensions/persistence.ts';
import { Room, type RoomOptions } from './room.ts';
import type { Log } from './types.ts';

/**
 * Live rooms by board id. A room is loaded on first use (loading is synchronous, so there is
 * exactly one load per board) and unloaded, after compaction, once nobody has used it for a while.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly users = new Map<Room, number>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();

  constructor(
    private readonly log: BoardLog,
    private readonly options: RoomOptions & { idleUnloadMs: number },
    private readonly logger: Log
  ) {}

  /** The loaded room, or null. */
  peek(boardId: string): Room | null {
    return this.rooms.get(boardId) ?? null;
  }

  /** Loads the room if needed and counts one more user of it; pair with `release(room)`. */
  acquire(boardId: string): Room {
    let room = this.rooms.get(boardId);
    if (!room) {
      room = Room.load(boardId, this.log, this.options, this.logger.child({ boardId }));
      room.onClose = (closed) => this.forget(closed);
      this.rooms.set(boardId, room);
    }
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
    this.users.set(room, (this.users.get(room) ?? 0) + 1);
    return room;
  }

  release(room: Room): void {
    const count = (this.users.get(room) ?? 0) - 1;
    if (count > 0) {
      this.users.set(room, count);
      return;
    }
    this.users.delete(room);
    if (room.isClosed) return;
    const unload = () => {
      this.idleTimers.delete(room);
      if (this.users.has(room)) return;
      room.compact();
      room.close();
    };
    if (this.options.idleUnloadMs === 0) unload();
    else this.idleTimers.set(room, setTimeout(unload, this.options.idleUnloadMs).unref());
  }

  get loaded(): number {
    return this.rooms.size;
  }

  /** Compacts and closes every room (server shutdown). */
  closeAll(): void {
    for (const room of [...this.rooms.values()]) {
      room.compact();
      room.close();
    }
  }

  private forget(room: Room): void {
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
    this.users.delete(room);
    if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId);
  }
}
