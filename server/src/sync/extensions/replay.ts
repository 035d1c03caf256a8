import * as Y from 'yjs';
import type { StoredBoard } from '../storage/board-storage.ts';

/** A stored board that does not replay whole: which row (0: the snapshot) and why. */
export class StoredUpdateError extends Error {
  override name = 'StoredUpdateError';
  constructor(
    readonly updateId: number,
    reason: string,
    options?: { cause?: unknown }
  ) {
    super(`stored ${updateId === 0 ? 'snapshot' : `update ${updateId}`} ${reason}`, options);
  }
}

/**
 * Applies a stored board (snapshot, then every update in order) to `doc` in one transaction.
 * Throws StoredUpdateError at the first row that does not apply, or that leaves content waiting
 * for a parent that is not stored (Yjs keeps such structs "pending", silently): either way the
 * doc would be a partial board, so it must not be served.
 */
export function replayStored(doc: Y.Doc, stored: Pick<StoredBoard, 'snapshot' | 'updates'>, origin: unknown): void {
  const rows = stored.snapshot ? [{ id: 0, data: stored.snapshot }, ...stored.updates] : stored.updates;
  doc.transact(() => {
    for (const row of rows) {
      try {
        Y.applyUpdate(doc, row.data, origin);
      } catch (err) {
        throw new StoredUpdateError(row.id, 'failed to apply', { cause: err });
      }
      if (doc.store.pendingStructs || doc.store.pendingDs) throw new StoredUpdateError(row.id, 'depends on content that is not stored');
    }
  }, origin);
}
