import * as Y from 'yjs';

/**
 * Reads an incoming V1 update against a doc WITHOUT applying it, and says what it does: where
 * every new struct lands, whether it arrives alive or already deleted, and what every deletion
 * removes. The board rules then judge these writes; only accepted updates reach `Y.applyUpdate`.
 */

/** Where a struct sits: the root type's name and the map keys below it (null: a list/text slot). */
export interface Location {
  /** null when the struct lands in deleted or garbage-collected content: the write has no effect. */
  root: string | null;
  path: (string | null)[];
  /** Id of the struct at depth 1 on the way down (e.g. the idea's Y.Map item); its creator owns the entry. */
  entry: Y.ID | null;
  /** The entry is created by this very update (a new idea), not already on the board. */
  entryNew: boolean;
}

export interface Write extends Location {
  op: 'insert' | 'delete';
  /** The inserted content, or the content being deleted. */
  content: Y.Item['content'] | null;
  /** For a deletion: the deleted item's id (for depth-1 deletes it is the entry). */
  target: Y.ID | null;
  /** For an insertion: the struct's id and length, and its left origin (map values chain through it). */
  id: Y.ID | null;
  length: number;
  origin: Y.ID | null;
  /**
   * For an insertion: false when the content arrives already deleted — a value the client
   * overwrote before sending (its GC turned it into `ContentDeleted`) or one this update's own
   * delete set removes. Such a value shows nothing; at a map key it only displaces the value there.
   */
  live: boolean;
}

export type Inspection =
  | {
      ok: true;
      writes: Write[];
      /** Clients that this update adds new structs for: the writer must own each of them. */
      newClients: Set<number>;
    }
  | { ok: false; code: 'MALFORMED' | 'MISSING_DEPENDENCY' | 'INVALID_SHAPE'; detail: string };

class Missing extends Error {}
class Malformed extends Error {}

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteRanges = Map<number, { clock: number; len: number }[]>;

const GONE: Location = { root: null, path: [], entry: null, entryNew: false };

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  let decoded: { structs: Struct[]; ds: { clients: DeleteRanges } };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch (err) {
    return { ok: false, code: 'MALFORMED', detail: (err as Error).message };
  }
  // V2 bytes (and other garbage) read as an empty V1 update; a real empty one is 2 bytes ([0, 0]).
  // Refuse it so the sender hears why, instead of dropping it as the empty reply clients send.
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0 && update.byteLength > 2) {
    return { ok: false, code: 'MALFORMED', detail: 'not a V1 update' };
  }
  try {
    return { ok: true, ...new Inspector(doc, decoded.structs, decoded.ds.clients).run() };
  } catch (err) {
    if (err instanceof Missing) return { ok: false, code: 'MISSING_DEPENDENCY', detail: err.message };
    if (err instanceof Malformed) return { ok: false, code: 'INVALID_SHAPE', detail: err.message };
    return { ok: false, code: 'MALFORMED', detail: (err as Error).message };
  }
}

class Inspector {
  private readonly store: Y.Doc['store'];
  private readonly rootNames = new Map<unknown, string>();
  /** The update's own structs by client, sorted by clock, for dependency lookups. */
  private readonly local = new Map<number, Struct[]>();
  /** The update's delete set by client, sorted by clock. */
  private readonly deletes = new Map<number, { clock: number; len: number }[]>();
  private readonly memo = new Map<Struct, Location>();

  constructor(
    doc: Y.Doc,
    structs: Struct[],
    ds: DeleteRanges
  ) {
    this.store = doc.store;
    for (const [name, type] of doc.share) this.rootNames.set(type, name);
    for (const s of structs) {
      const list = this.local.get(s.id.client);
      if (list) list.push(s);
      else this.local.set(s.id.client, [s]);
    }
    for (const list of this.local.values()) list.sort((a, b) => a.id.clock - b.id.clock);
    for (const [client, ranges] of ds) this.deletes.set(client, [...ranges].sort((a, b) => a.clock - b.clock));
  }

  run(): { writes: Write[]; newClients: Set<number> } {
    const writes: Write[] = [];
    const newClients = new Set<number>();
    for (const [client, list] of this.local) {
      const state = Y.getState(this.store, client);
      let expected = list[0]!.id.clock;
      if (expected > state) throw new Missing(`gap before ${client}:${expected}`);
      for (const s of list) {
        if (s.id.clock !== expected) throw new Malformed('overlapping structs');
        expected += s.length;
        if (s.id.clock + s.length <= state) continue; // already known: a duplicate, no effect
        if (s instanceof Y.Skip) throw new Missing(`skip ${client}:${s.id.clock}`);
        newClients.add(client);
        if (s instanceof Y.GC) continue; // garbage-collected content: no effect anywhere
        if (s.origin) this.find(s.origin);
        if (s.rightOrigin) this.find(s.rightOrigin);
        if (s.content instanceof Y.ContentDoc) throw new Malformed('subdocuments are not accepted');
        writes.push({
          op: 'insert',
          ...this.locate(s),
          content: s.content,
          target: null,
          id: s.id,
          length: s.length,
          origin: s.origin,
          live: !this.isDead(s)
        });
      }
    }
    for (const [client, ranges] of this.deletes) {
      for (const { clock, len } of ranges) {
        const end = clock + len;
        const known = Math.max(Y.getState(this.store, client), localEnd(this.local.get(client)));
        if (end > known) throw new Missing(`delete beyond ${client}:${known}`);
        for (const s of storedRange(this.store, client, clock, end)) {
          if (s instanceof Y.Item && !s.deleted) {
            writes.push({ op: 'delete', ...this.locate(s), content: s.content, target: s.id, id: null, length: 0, origin: null, live: false });
          }
        }
      }
    }
    return { writes, newClients };
  }

  private findLocal(id: Y.ID): Struct | undefined {
    const list = this.local.get(id.client);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s instanceof Y.Skip ? undefined : s;
    }
    return undefined;
  }

  private isStored(id: Y.ID): boolean {
    return id.clock < Y.getState(this.store, id.client);
  }

  private findStored(id: Y.ID): Y.Item | Y.GC | undefined {
    const structs = this.store.clients.get(id.client);
    if (!structs || !this.isStored(id)) return undefined;
    return structs[Y.findIndexSS(structs, id.clock)];
  }

  private find(id: Y.ID): Struct {
    const s = this.findStored(id) ?? this.findLocal(id);
    if (!s) throw new Missing(`${id.client}:${id.clock}`);
    return s;
  }

  /** Arrives deleted: already garbage-collected by the client, or wholly in this update's delete set. */
  private isDead(item: Y.Item): boolean {
    if (item.content instanceof Y.ContentDeleted) return true;
    const ranges = this.deletes.get(item.id.client);
    if (!ranges) return false;
    const start = item.id.clock;
    const end = start + item.length;
    // Ranges are sorted; find the last one starting at or before `start`.
    let lo = 0;
    let hi = ranges.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.clock <= start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && ranges[at]!.clock + ranges[at]!.len >= end;
  }

  private locate(s: Struct): Location {
    if (s instanceof Y.GC || s instanceof Y.Skip) return GONE;
    const known = this.memo.get(s);
    if (known) return known;
    const integrated = s.parent !== null && typeof s.parent === 'object' && !(s.parent instanceof Y.ID);
    const loc = integrated ? this.locateIntegrated(s) : this.locatePending(s);
    this.memo.set(s, loc);
    return loc;
  }

  /** Below the type that `holder` holds, at `parentSub`. */
  private below(holder: Struct, parentSub: string | null): Location {
    if (!(holder instanceof Y.Item)) return GONE;
    // Writes into a deleted type integrate as deleted: no effect (also a type that lost a
    // concurrent overwrite, or one this update creates and deletes).
    const stored = this.isStored(holder.id);
    if (stored ? holder.deleted : this.isDead(holder)) return GONE;
    if (holder.content instanceof Y.ContentDeleted) return GONE;
    if (!(holder.content instanceof Y.ContentType)) throw new Malformed('parent is not a type');
    const at = this.locate(holder);
    if (at.root === null) return GONE;
    const depth1 = at.path.length === 1;
    return {
      root: at.root,
      path: [...at.path, parentSub],
      entry: depth1 ? holder.id : at.entry,
      entryNew: depth1 ? !stored : at.entryNew
    };
  }

  /** An item already in the doc: walk up through the types that hold it. */
  private locateIntegrated(item: Y.Item): Location {
    const parent = item.parent as Y.AbstractType<unknown>;
    if (parent._item === null) {
      const root = this.rootNames.get(parent) ?? null;
      return root === null ? GONE : { root, path: [item.parentSub], entry: item.id, entryNew: false };
    }
    return this.below(parent._item, item.parentSub);
  }

  /** An item of the update: its parent is a root name, a parent item's id, or implied by its origins. */
  private locatePending(item: Y.Item): Location {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { root: parent, path: [item.parentSub], entry: item.id, entryNew: true };
    if (parent instanceof Y.ID) return this.below(this.find(parent), item.parentSub);
    const ref = item.origin ?? item.rightOrigin;
    if (!ref) throw new Malformed('item without parent or origin');
    const at = this.locate(this.find(ref));
    if (at.root === null) return GONE;
    const depth1 = at.path.length === 1;
    return { root: at.root, path: at.path, entry: depth1 ? item.id : at.entry, entryNew: depth1 ? true : at.entryNew };
  }
}

const localEnd = (list: Struct[] | undefined) => {
  const last = list?.[list.length - 1];
  return last ? last.id.clock + last.length : 0;
};

/** Structs of the doc that overlap [clock, end) of one client. */
function* storedRange(store: Y.Doc['store'], client: number, clock: number, end: number) {
  const structs = store.clients.get(client);
  if (!structs) return;
  const state = Y.getState(store, client);
  if (clock >= state) return;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= end) return;
    yield s;
  }
}
