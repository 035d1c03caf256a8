import * as Y from 'yjs';

/** The maps a restore takes back; `participants` (who joined) and unknown roots stay as they are. */
const RESTORED_MAPS_OF_MAPS = ['ideas', 'clusters'] as const;

/** What a restore changed, for the facilitator's confirmation. */
export interface RestoreSummary {
  /** Ideas that were gone and came back. */
  ideasBack: number;
  /** Ideas added after the checkpoint, removed. */
  ideasRemoved: number;
  /** Ideas whose fields (text, group, …) went back to the checkpoint's. */
  ideasChanged: number;
}

const plain = (v: unknown) => !(v instanceof Y.AbstractType);
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes into `doc` (inside a transaction) whatever makes its content equal the `target` doc's:
 * ideas and groups deleted since come back, those added since are removed, changed fields take
 * their old value, votes and every proposal section are as they were. New structs are written, old
 * ones deleted: the log only grows, and every client receives the restore as one update.
 * `votes: false` leaves the votes as they are: a checkpoint of an earlier voting round must not mix
 * that round's dots into the current one.
 */
export function restoreContent(doc: Y.Doc, target: Y.Doc, options: { votes: boolean } = { votes: true }): RestoreSummary {
  const summary: RestoreSummary = { ideasBack: 0, ideasRemoved: 0, ideasChanged: 0 };
  for (const name of RESTORED_MAPS_OF_MAPS) {
    const count = syncMapOfMaps(doc.getMap(name), target.getMap(name));
    if (name === 'ideas') Object.assign(summary, { ideasBack: count.added, ideasRemoved: count.removed, ideasChanged: count.changed });
  }
  if (options.votes) syncPlainMap(doc.getMap('votes'), target.getMap('votes'));
  const proposal = doc.getMap('proposal');
  for (const [key, text] of target.getMap('proposal')) {
    if (!(text instanceof Y.Text)) continue;
    const current = proposal.get(key);
    if (current instanceof Y.Text) {
      if (same(current.toDelta(), text.toDelta())) continue;
      current.delete(0, current.length);
      current.applyDelta(text.toDelta());
    } else {
      const fresh = new Y.Text();
      proposal.set(key, fresh);
      fresh.applyDelta(text.toDelta());
    }
  }
  return summary;
}

/** Entries of `target` (each a Y.Map of plain fields) copied into `map`; entries it lacks, deleted. */
function syncMapOfMaps(map: Y.Map<unknown>, target: Y.Map<unknown>): { added: number; removed: number; changed: number } {
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [id, entry] of target) {
    if (!(entry instanceof Y.Map)) continue;
    const current = map.get(id);
    if (!(current instanceof Y.Map)) {
      const fresh = new Y.Map<unknown>();
      map.set(id, fresh);
      for (const [k, v] of entry) if (plain(v)) fresh.set(k, v);
      added++;
      continue;
    }
    let touched = false;
    for (const [k, v] of entry) {
      if (plain(v) && !same(current.get(k), v)) {
        current.set(k, v);
        touched = true;
      }
    }
    for (const k of [...current.keys()]) {
      if (!entry.has(k) && plain(current.get(k))) {
        current.delete(k);
        touched = true;
      }
    }
    if (touched) changed++;
  }
  for (const id of [...map.keys()]) {
    if (!target.has(id)) {
      map.delete(id);
      removed++;
    }
  }
  return { added, removed, changed };
}

function syncPlainMap(map: Y.Map<unknown>, target: Y.Map<unknown>): void {
  for (const [k, v] of target) if (!same(map.get(k), v)) map.set(k, v);
  for (const k of [...map.keys()]) if (!target.has(k)) map.delete(k);
}
