import * as Y from 'yjs';

/**
 * Reads an incoming V1 update against a doc WITHOUT applying it, and says where every new struct
 * lands and what every deletion removes. The board rules then judge these writes; only accepted
 * updates reach `Y.applyUpdate`.
 */

/** Where a struct sits: the root type's name and the map keys below it (null: a list/text slot). */
export interface Location {
  /** null when the content is already garbage-collected: the write has no effect. */
  root: string | null;
  path: (string | null)[];
  /** Id of the struct at depth 1 on the way down (e.g. the idea's Y.Map item); its creator owns the entry. */
  entry: Y.ID | null;
}

export interface Write extends Location {
  op: 'insert' | 'delete';
  /** The inserted content, or the content being deleted. */
  content: Y.Item['content'] | null;
  /** For a deletion: the deleted item's id (for depth-1 deletes it is the entry). */
  target: Y.ID | null;
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

const GONE: Location = { root: null, path: [], entry: null };

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  let decoded: { structs: Struct[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch (err) {
    return { ok: false, code: 'MALFORMED', detail: (err as Error).message };
  }
  const store = doc.store;
  const rootNames = new Map<unknown, string>();
  for (const [name, type] of doc.share) rootNames.set(type, name);

  // The update's own structs by client, sorted by clock, for dependency lookups.
  const local = new Map<number, Struct[]>();
  for (const s of decoded.structs) {
    const list = local.get(s.id.client);
    if (list) list.push(s);
    else local.set(s.id.client, [s]);
  }
  for (const list of local.values()) list.sort((a, b) => a.id.clock - b.id.clock);

  const findLocal = (id: Y.ID): Struct | undefined => {
    const list = local.get(id.client);
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
  };
  const findStored = (id: Y.ID): Y.Item | Y.GC | undefined => {
    const structs = store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(store, id.client)) return undefined;
    return structs[Y.findIndexSS(structs, id.clock)];
  };
  const find = (id: Y.ID): Struct => {
    const s = findStored(id) ?? findLocal(id);
    if (!s) throw new Missing(`${id.client}:${id.clock}`);
    return s;
  };

  const memo = new Map<Struct, Location>();
  const locate = (s: Struct): Location => {
    if (s instanceof Y.GC || s instanceof Y.Skip) return GONE;
    const known = memo.get(s);
    if (known) return known;
    const loc = s.parent !== null && typeof s.parent === 'object' && !(s.parent instanceof Y.ID) ? locateIntegrated(s) : locatePending(s);
    memo.set(s, loc);
    return loc;
  };

  const below = (holder: Struct, parentSub: string | null): Location => {
    if (!(holder instanceof Y.Item)) return GONE;
    // A type that lost a concurrent overwrite is deleted: writes into it integrate as deleted.
    if (holder.content instanceof Y.ContentDeleted) return GONE;
    if (!(holder.content instanceof Y.ContentType)) throw new Malformed('parent is not a type');
    const at = locate(holder);
    if (at.root === null) return GONE;
    return { root: at.root, path: [...at.path, parentSub], entry: at.path.length === 1 ? holder.id : at.entry };
  };

  // An item already in the doc: walk up through the types that hold it.
  const locateIntegrated = (item: Y.Item): Location => {
    const parent = item.parent as Y.AbstractType<unknown>;
    if (parent._item === null) {
      const root = rootNames.get(parent) ?? null;
      return root === null ? GONE : { root, path: [item.parentSub], entry: item.id };
    }
    return below(parent._item, item.parentSub);
  };

  // An item of the update: its parent is a root name, a parent item's id, or implied by its origins.
  const locatePending = (item: Y.Item): Location => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { root: parent, path: [item.parentSub], entry: item.id };
    if (parent instanceof Y.ID) return below(find(parent), item.parentSub);
    const ref = item.origin ?? item.rightOrigin;
    if (!ref) throw new Malformed('item without parent or origin');
    const neighbour = find(ref);
    const at = locate(neighbour);
    if (at.root === null) return GONE;
    return { root: at.root, path: at.path, entry: at.path.length === 1 ? item.id : at.entry };
  };

  try {
    const writes: Write[] = [];
    const newClients = new Set<number>();
    for (const [client, list] of local) {
      const state = Y.getState(store, client);
      let expected = list[0]!.id.clock;
      if (expected > state) throw new Missing(`gap before ${client}:${expected}`);
      for (const s of list) {
        if (s.id.clock !== expected) throw new Malformed('overlapping structs');
        expected += s.length;
        if (s.id.clock + s.length <= state) continue; // already known: a duplicate, no effect
        if (s instanceof Y.Skip) throw new Missing(`skip ${client}:${s.id.clock}`);
        newClients.add(client);
        if (s instanceof Y.GC) continue;
        if (s.origin) find(s.origin);
        if (s.rightOrigin) find(s.rightOrigin);
        if (s.content instanceof Y.ContentDoc) throw new Malformed('subdocuments are not accepted');
        writes.push({ op: 'insert', ...locate(s), content: s.content, target: null });
      }
    }
    for (const [client, ranges] of decoded.ds.clients) {
      for (const { clock, len } of ranges) {
        const end = clock + len;
        const known = Math.max(Y.getState(store, client), localEnd(local.get(client)));
        if (end > known) throw new Missing(`delete beyond ${client}:${known}`);
        for (const s of storedRange(store, client, clock, end)) {
          if (s instanceof Y.Item && !s.deleted) writes.push({ op: 'delete', ...locate(s), content: s.content, target: s.id });
        }
      }
    }
    return { ok: true, writes, newClients };
  } catch (err) {
    if (err instanceof Missing) return { ok: false, code: 'MISSING_DEPENDENCY', detail: err.message };
    if (err instanceof Malformed) return { ok: false, code: 'INVALID_SHAPE', detail: err.message };
    return { ok: false, code: 'MALFORMED', detail: (err as Error).message };
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
