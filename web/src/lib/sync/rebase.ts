/**
 * Recovering from a refused update without losing the valid work around it.
 *
 * A Y.Doc cannot take back a change: once the server refuses one, every later update of that
 * clientID depends on it and is refused too. So the client opens a fresh doc synced from the
 * server and carries over, as new changes, what its old doc holds that the server never
 * accepted: ideas and groups created, fields set, things deleted, text typed into a section.
 * "Never accepted" is exact: a struct whose clock is past the server's state vector for its
 * client, or an item deleted here that the server still has alive.
 *
 * Each carried change is applied under its own clientID, so the server judges it on its own:
 * the one that was really invalid (a write the phase forbids, a race with a lock) is refused
 * again, alone, and the others land. Only Yjs here: the board page and the tests share it.
 */
import * as Y from 'yjs';

export type Fields = Record<string, unknown>;

export type Change =
	| { kind: 'create'; root: 'ideas' | 'clusters'; id: string; fields: Fields }
	| { kind: 'set'; root: 'ideas' | 'clusters'; id: string; fields: Fields; removed: string[] }
	| { kind: 'delete'; root: 'ideas' | 'clusters'; id: string }
	| { kind: 'text'; section: string; inserts: { after: Y.ID | null; text: string }[]; deletes: { client: number; clock: number; len: number }[] };

/** The transaction origin of carried changes, so a page can tell them from the person's own edits. */
export const CARRIED = Symbol('carried');

/** An idea the server refused even when carried over alone: the page offers it back to its author. */
export interface UnsentIdea {
	id: string;
	questionId: string;
	text: string;
}

/** The ideas of `author` among dropped changes. */
export const unsentIdeas = (dropped: readonly Change[], author: string): UnsentIdea[] =>
	dropped.flatMap((c) =>
		c.kind === 'create' && c.root === 'ideas' && c.fields.authorId === author && typeof c.fields.text === 'string'
			? [{ id: c.id, questionId: String(c.fields.questionId ?? ''), text: c.fields.text }]
			: []
	);

type MapItems = Map<string, Y.Item>;
/** A map's current item per key (deleted ones included): what the rebase compares by id. */
const itemsOf = (type: object) => (type as { _map: MapItems })._map;

/** What `old` holds that `fresh` (synced from the server since) does not. */
export function pendingChanges(old: Y.Doc, fresh: Y.Doc): Change[] {
	const sv = Y.decodeStateVector(Y.encodeStateVector(fresh));
	const accepted = (id: Y.ID) => id.clock < (sv.get(id.client) ?? 0);
	const changes: Change[] = [];
	for (const root of ['clusters', 'ideas'] as const) {
		const freshItems = itemsOf(fresh.getMap(root));
		for (const [id, item] of itemsOf(old.getMap(root))) {
			const freshItem = freshItems.get(id);
			if (!accepted(item.id)) {
				// Made here and never stored: carry the whole entry over, unless it was undone here too.
				if (!item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.Map && !(freshItem && !freshItem.deleted)) {
					changes.push({ kind: 'create', root, id, fields: item.content.type.toJSON() });
				}
				continue;
			}
			if (!freshItem || !Y.compareIDs(freshItem.id, item.id) || freshItem.deleted) continue; // replaced or removed since
			if (item.deleted) {
				changes.push({ kind: 'delete', root, id });
				continue;
			}
			const set = pendingFields(item, freshItem, accepted);
			if (set) changes.push({ kind: 'set', root, id, ...set });
		}
	}
	const freshSections = itemsOf(fresh.getMap('proposal'));
	for (const [section, item] of itemsOf(old.getMap('proposal'))) {
		const freshItem = freshSections.get(section);
		if (item.deleted || !accepted(item.id) || !freshItem || freshItem.deleted || !Y.compareIDs(freshItem.id, item.id)) continue;
		const text = pendingText(section, item, fresh, accepted);
		if (text) changes.push(text);
	}
	return changes;
}

function pendingFields(item: Y.Item, freshItem: Y.Item, accepted: (id: Y.ID) => boolean): { fields: Fields; removed: string[] } | null {
	const oldMap = (item.content as Y.ContentType).type;
	const freshFields = itemsOf((freshItem.content as Y.ContentType).type);
	const fields: Fields = {};
	const removed: string[] = [];
	for (const [key, field] of itemsOf(oldMap)) {
		if (!accepted(field.id)) {
			if (!field.deleted) fields[key] = (oldMap as Y.Map<unknown>).get(key);
			continue;
		}
		// A value the server has that was removed here (and not replaced).
		const now = freshFields.get(key);
		if (field.deleted && now && Y.compareIDs(now.id, field.id) && !now.deleted) removed.push(key);
	}
	return Object.keys(fields).length > 0 || removed.length > 0 ? { fields, removed } : null;
}

/** Text typed and erased in one section here that the server does not have. */
function pendingText(section: string, item: Y.Item, fresh: Y.Doc, accepted: (id: Y.ID) => boolean): Change | null {
	const text = (item.content as Y.ContentType).type;
	const freshText = ((fresh.getMap('proposal').get(section) as Y.Text | undefined) ?? null) as Y.Text | null;
	if (!freshText) return null;
	const inserts: { after: Y.ID | null; text: string }[] = [];
	const deletes: { client: number; clock: number; len: number }[] = [];
	const alive = aliveRanges(freshText);
	let after: Y.ID | null = null;
	let run = '';
	for (let n = text._start; n !== null; n = n.right) {
		if (accepted(n.id)) {
			if (run) inserts.push({ after, text: run });
			run = '';
			after = Y.createID(n.id.client, n.id.clock + n.length - 1);
			if (n.deleted && n.countable && overlaps(alive.get(n.id.client), n.id.clock, n.length)) deletes.push({ client: n.id.client, clock: n.id.clock, len: n.length });
		} else if (!n.deleted && n.content instanceof Y.ContentString) {
			run += n.content.str;
		}
	}
	if (run) inserts.push({ after, text: run });
	return inserts.length > 0 || deletes.length > 0 ? { kind: 'text', section, inserts, deletes } : null;
}

/** The clock ranges of a text's characters that are not deleted, by client. */
function aliveRanges(text: Y.Text): Map<number, [number, number][]> {
	const ranges = new Map<number, [number, number][]>();
	for (let n = text._start; n !== null; n = n.right) {
		if (n.deleted || !n.countable) continue;
		const list = ranges.get(n.id.client);
		if (list) list.push([n.id.clock, n.length]);
		else ranges.set(n.id.client, [[n.id.clock, n.length]]);
	}
	return ranges;
}

const overlaps = (ranges: [number, number][] | undefined, clock: number, len: number) =>
	!!ranges?.some(([c, l]) => c < clock + len && c + l > clock);

/** Applies one carried change to the fresh doc, in one transaction, under a clientID of its own. */
export function applyChange(doc: Y.Doc, change: Change, origin: unknown = CARRIED, avoid?: number): void {
	doc.clientID = freshClientId(doc, avoid);
	doc.transact(() => {
		switch (change.kind) {
			case 'create': {
				const map = doc.getMap<Y.Map<unknown>>(change.root);
				if (map.has(change.id)) return;
				const entry = new Y.Map<unknown>();
				map.set(change.id, entry);
				for (const [k, v] of Object.entries(change.fields)) entry.set(k, v);
				return;
			}
			case 'set': {
				const entry = doc.getMap<Y.Map<unknown>>(change.root).get(change.id);
				if (!entry) return;
				for (const [k, v] of Object.entries(change.fields)) if (entry.get(k) !== v) entry.set(k, v);
				for (const k of change.removed) entry.delete(k);
				return;
			}
			case 'delete':
				doc.getMap(change.root).delete(change.id);
				return;
			case 'text': {
				const text = doc.getMap('proposal').get(change.section);
				if (text instanceof Y.Text) applyText(text, change);
				return;
			}
		}
	}, origin);
}

function applyText(text: Y.Text, change: Extract<Change, { kind: 'text' }>): void {
	// Deletes first, by id: positions are found in this doc, whatever others typed meanwhile.
	const ranges: [number, number][] = [];
	let index = 0;
	for (let n = text._start; n !== null; n = n.right) {
		if (n.deleted || !n.countable) continue;
		for (const d of change.deletes) {
			if (n.id.client !== d.client) continue;
			const from = Math.max(n.id.clock, d.clock);
			const to = Math.min(n.id.clock + n.length, d.clock + d.len);
			if (from < to) ranges.push([index + from - n.id.clock, to - from]);
		}
		index += n.length;
	}
	for (const [at, len] of ranges.sort((a, b) => b[0] - a[0])) text.delete(at, len);
	for (const { after, text: str } of change.inserts) {
		text.insert(positionAfter(text, after), str);
	}
}

/** The index just after the character `after` (0 for the start), wherever it is now. */
function positionAfter(text: Y.Text, after: Y.ID | null): number {
	if (after === null) return 0;
	const doc = text.doc!;
	const rel = Y.createRelativePositionFromJSON({ item: { client: after.client, clock: after.clock }, assoc: -1 });
	return Y.createAbsolutePositionFromRelativePosition(rel, doc)?.index ?? text.length;
}

/**
 * Carries what `old` holds and the server lacks over to `fresh`, one change at a time. A change
 * identical to one carried in the previous round was refused again: it is dropped and returned,
 * so the page can offer it back to the person, and recovery never loops.
 */
export function carryOver(old: Y.Doc, fresh: Y.Doc, carriedBefore: ReadonlySet<string>): { carried: Set<string>; dropped: Change[] } {
	const carried = new Set<string>();
	const dropped: Change[] = [];
	// The doc's own clientID is also its presence id (y-websocket and awareness rely on that):
	// carried changes borrow others, and the person's next edits go back to this one, still unused.
	const own = fresh.clientID;
	for (const change of pendingChanges(old, fresh)) {
		const key = signature(change);
		if (carriedBefore.has(key)) {
			dropped.push(change);
			continue;
		}
		applyChange(fresh, change, CARRIED, own);
		carried.add(key);
	}
	fresh.clientID = own;
	return { carried, dropped };
}

const signature = (change: Change) => JSON.stringify(change);

function freshClientId(doc: Y.Doc, avoid?: number): number {
	let id: number;
	do id = crypto.getRandomValues(new Uint32Array(1))[0]!;
	while (doc.store.clients.has(id) || id === avoid);
	return id;
}
