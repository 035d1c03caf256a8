import * as Y from 'yjs';
import type { CheckpointReason } from '../../../db/schema/history.ts';
import type { Phase } from '../realtime/events.ts';
import type { CheckpointInfo, CheckpointsRepository } from '../repositories/checkpoints.ts';
import { hiddenDocId, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { untracked, type Log, type Track } from '../sync/types.ts';
import { restoreContent, type RestoreSummary } from './restore-content.ts';

/** A board being edited gets a checkpoint every this long (ms). */
export const CHECKPOINT_EVERY_MS = 10 * 60_000;

export interface RestoreResult {
  restored: CheckpointInfo;
  /** The board as it was just before the restore: restoring it undoes the restore. */
  saved: CheckpointInfo;
  summary: RestoreSummary;
}

/**
 * A board's checkpoints: taken at each session phase change and after every 10 minutes of
 * activity (a change starts the clock), and restored as a new server write that every client
 * receives. The update log is never rewound.
 */
export class BoardHistory {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly repo: CheckpointsRepository,
    private readonly rooms: Rooms,
    private readonly phaseOf: (boardId: string) => Phase,
    private readonly log: Log,
    /** `roundStartedAt`: when the board's current voting round began (a restore keeps other rounds' dots out). */
    private readonly options: { everyMs?: number; track?: Track; roundStartedAt?: (boardId: string) => number } = {}
  ) {}

  list(boardId: string): Promise<CheckpointInfo[]> {
    return this.repo.list(boardId);
  }

  /** Takes a checkpoint of the board once everything accepted so far is stored. */
  take(boardId: string, reason: CheckpointReason): Promise<CheckpointInfo> {
    return this.withRoom(boardId, async (room) =>
      // Awaited: the read itself answers a promise (the checkpoint's write).
      await room.readStored((doc) => this.track('checkpoint', { boardId, reason }, () => this.takeNow(boardId, reason, doc)))
    );
  }

  /** Reads the doc at once (it holds only what is stored now), then stores the checkpoint. */
  private async takeNow(boardId: string, reason: CheckpointReason, doc: Y.Doc): Promise<CheckpointInfo> {
    const checkpoint = await this.repo.add(boardId, {
      reason,
      phase: this.phaseOf(boardId),
      ideas: doc.getMap('ideas').size,
      data: Y.encodeStateAsUpdate(doc)
    });
    this.log.info({ boardId, checkpointId: checkpoint.id, reason, ideas: checkpoint.ideas }, 'checkpoint taken');
    return checkpoint;
  }

  /** A session changed: a checkpoint when its phase is not the one of the newest checkpoint. */
  async sessionChanged(boardId: string, phase: Phase): Promise<void> {
    const newest = await this.repo.newest(boardId);
    if (newest ? newest.phase === phase : phase === 'abierto') return;
    await this.take(boardId, 'phase');
  }

  /** A change of the board was stored: a checkpoint within `everyMs`, unless one is already due. */
  stored(room: Room): void {
    if (room.privateOwner !== null || this.timers.has(room.boardId)) return;
    const boardId = room.boardId;
    const timer = setTimeout(() => {
      this.timers.delete(boardId);
      const failed = (err: unknown) => this.log.error({ err, boardId }, 'checkpoint failed');
      this.changedSinceNewest(boardId)
        .then((changed) => (changed ? this.take(boardId, 'activity') : null))
        .catch(failed);
    }, this.options.everyMs ?? CHECKPOINT_EVERY_MS);
    timer.unref();
    this.timers.set(boardId, timer);
  }

  /**
   * Takes the board back to a checkpoint: first a checkpoint of the board as it is ("restore"),
   * then one server write with the difference. Null if the board has no such checkpoint.
   */
  async restore(boardId: string, checkpointId: number): Promise<RestoreResult | null> {
    const row = await this.repo.get(boardId, checkpointId);
    if (!row) return null;
    const { id, createdAt, reason, ideas } = row;
    const phase = row.phase as Phase;
    const target = new Y.Doc();
    try {
      Y.applyUpdate(target, row.data);
      await this.leaveOutHidden(boardId, target);
      const saved = await this.take(boardId, 'restore');
      return await this.withRoom(boardId, async (room) => {
        let summary!: RestoreSummary;
        const stored = this.track('restore', { boardId, checkpointId }, () =>
          room.serverWrite(`history: restore checkpoint ${checkpointId}`, (doc) => {
            summary = restoreContent(doc, target, { votes: createdAt >= (this.options.roundStartedAt?.(boardId) ?? 0) });
          })
        );
        const failed = await stored;
        if (failed) throw failed;
        this.log.info({ boardId, checkpointId, savedAs: saved.id, ...summary }, 'checkpoint restored');
        return { restored: { id, createdAt, reason, phase, ideas }, saved, summary };
      });
    } finally {
      target.destroy();
    }
  }

  /**
   * Ideas hidden since the checkpoint stay hidden: they are in the facilitators' hidden doc, and a
   * restore must not put them (or their dots) back where every participant receives them.
   */
  private async leaveOutHidden(boardId: string, target: Y.Doc): Promise<void> {
    const room = await this.rooms.acquire(hiddenDocId(boardId));
    try {
      const ideas = target.getMap('ideas');
      const votes = target.getMap('votes');
      for (const id of room.doc.getMap('ideas').keys()) {
        ideas.delete(id);
        for (const key of [...votes.keys()]) if (key.startsWith(`${id}|`)) votes.delete(key);
      }
    } finally {
      this.rooms.release(room);
    }
  }

  private async changedSinceNewest(boardId: string): Promise<boolean> {
    const newest = await this.repo.newest(boardId);
    if (!newest) return true;
    return this.withRoom(boardId, async (room) => {
      const before = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(newest.data));
      const now = Y.decodeStateVector(Y.encodeStateVector(room.doc));
      return now.size !== before.size || [...now].some(([client, clock]) => before.get(client) !== clock);
    });
  }

  private get track(): Track {
    return this.options.track ?? untracked;
  }

  private async withRoom<T>(boardId: string, use: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.rooms.acquire(boardId);
    try {
      return await use(room);
    } finally {
      this.rooms.release(room);
    }
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
