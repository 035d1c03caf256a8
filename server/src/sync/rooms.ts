import type { BoardStorage } from './storage/board-storage.ts';
import { Room, type RoomOptions } from './room.ts';
import type { Log } from './types.ts';

/**
 * Live rooms by board id. A room is loaded on first use, once per process: callers racing to open
 * a board share one load promise (as Hocuspocus does). It is unloaded, after compaction, once
 * nobody has used it for a while.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  /** Loads under way, by doc id. */
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly users = new Map<Room, number>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();
  private readonly activityListeners = new Set<(room: Room) => void>();
  private readonly storedListeners = new Set<(room: Room) => void>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly options: RoomOptions & { idleUnloadMs: number; onLoad?: (room: Room) => void },
    private readonly logger: Log
  ) {}

  /** The loaded room, or null. */
  peek(docId: string): Room | null {
    return this.rooms.get(docId) ?? null;
  }

  /** The room being loaded now, if it is (what reaches a doc mid-load is applied once it is open). */
  loadingRoom(docId: string): Promise<Room> | null {
    return this.loading.get(docId) ?? null;
  }

  /** Called after any room stores a change or gains or loses a connection. */
  onActivity(listener: (room: Room) => void): void {
    this.activityListeners.add(listener);
  }

  /** Called after any room stores a change. */
  onStored(listener: (room: Room) => void): void {
    this.storedListeners.add(listener);
  }

  /** Loaded rooms (boards and private docs). */
  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  /**
   * Loads the room if needed and counts one more user of it; pair with `release(room)`. Rejects
   * (BoardUnavailable) if the stored board does not replay; the next call tries again.
   */
  async acquire(docId: string): Promise<Room> {
    const room = this.rooms.get(docId) ?? (await this.load(docId));
    // Closed while its loader waited for its turn (a storage fault): load it again.
    if (room.isClosed) return this.acquire(docId);
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
    this.users.set(room, (this.users.get(room) ?? 0) + 1);
    return room;
  }

  private load(docId: string): Promise<Room> {
    let loading = this.loading.get(docId);
    if (!loading) {
      const read = () => Room.load(docId, this.storage, this.options, this.logger.child({ docId }));
      // Watched before it is read, so that nothing another process stores meanwhile falls between.
      const watched = this.options.broadcaster?.watch?.(docId);
      loading = (watched ? watched.then(read) : read())
        .then(
          (room) => this.track(room),
          (err: unknown) => {
            if (!this.rooms.has(docId)) this.options.broadcaster?.unwatch?.(docId);
            throw err;
          }
        )
        .finally(() => this.loading.delete(docId));
      this.loading.set(docId, loading);
    }
    return loading;
  }

  /** A room just loaded joins the live ones. */
  private track(room: Room): Room {
    room.onClose = (closed) => this.forget(closed);
    room.onActivity = (active) => {
      for (const listener of this.activityListeners) listener(active);
    };
    room.onStored = (changed) => {
      for (const listener of this.storedListeners) listener(changed);
    };
    this.rooms.set(room.docId, room);
    this.options.onLoad?.(room);
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
      void room.compact().then(() => {
        // Someone may have taken it again while it compacted.
        if (!this.users.has(room)) room.close();
      });
    };
    if (this.options.idleUnloadMs === 0) unload();
    else this.idleTimers.set(room, setTimeout(unload, this.options.idleUnloadMs).unref());
  }

  get loaded(): number {
    return this.rooms.size;
  }

  /** Compacts and closes every room (server shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.rooms.values()].map(async (room) => {
        await room.compact();
        room.close();
      })
    );
  }

  private forget(room: Room): void {
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
    this.users.delete(room);
    if (this.rooms.get(room.docId) !== room) return;
    this.rooms.delete(room.docId);
    if (!this.loading.has(room.docId)) this.options.broadcaster?.unwatch?.(room.docId);
  }
}
