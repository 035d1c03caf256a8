/** Plain data read from a board's Y.Doc, and the pure functions that shape it for the UI. */
import type * as Y from 'yjs';

export interface Idea {
	id: string;
	text: string;
	questionId: string;
	clusterId: string | null;
	authorId: string;
	authorName: string;
	sector: string | null;
	createdAt: number;
	/** Hidden by a facilitator: only facilitators have it (from the hidden doc), and see it dimmed. */
	hidden: boolean;
}

export interface Cluster {
	id: string;
	title: string;
	questionId: string;
	createdAt: number;
}

export interface Tally {
	total: number;
	/** Dots of the current participant on this target. */
	mine: number;
	/** Sector id ('' when unknown) → dots, largest first. */
	bySector: [string, number][];
}

export interface ClusterWithIdeas {
	cluster: Cluster;
	ideas: Idea[];
}

export interface Lane {
	groups: ClusterWithIdeas[];
	ungrouped: Idea[];
	count: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Reads an idea; entries that break the contract (no text or question) are skipped. */
export function readIdea(id: string, m: unknown): Idea | null {
	if (!m || typeof (m as Y.Map<unknown>).get !== 'function') return null;
	const get = (k: string) => (m as Y.Map<unknown>).get(k);
	const text = str(get('text'));
	const questionId = str(get('questionId'));
	if (text === null || questionId === null) return null;
	return {
		id,
		text,
		questionId,
		clusterId: str(get('clusterId')),
		authorId: str(get('authorId')) ?? '',
		authorName: str(get('authorName')) ?? '',
		sector: str(get('sector')),
		createdAt: num(get('createdAt')),
		hidden: false
	};
}

export function readCluster(id: string, m: unknown): Cluster | null {
	if (!m || typeof (m as Y.Map<unknown>).get !== 'function') return null;
	const get = (k: string) => (m as Y.Map<unknown>).get(k);
	const questionId = str(get('questionId'));
	if (questionId === null) return null;
	return { id, title: str(get('title')) ?? '', questionId, createdAt: num(get('createdAt')) };
}

/** A participants entry may be a plain object or a Y.Map, depending on how the server wrote it. */
function sectorOf(entry: unknown): string {
	if (!entry || typeof entry !== 'object') return '';
	const v = typeof (entry as Y.Map<unknown>).get === 'function'
		? (entry as Y.Map<unknown>).get('sector')
		: (entry as { sector?: unknown }).sector;
	return typeof v === 'string' ? v : '';
}

/**
 * Votes map `"<targetId>|<participantId>"` → dots, summed per target and per sector. `mySpent`
 * counts only targets that still exist: the server returns dots given to deleted ideas or groups.
 */
export function tallyVotes(
	votes: Y.Map<unknown>,
	participants: Y.Map<unknown>,
	meId: string,
	exists: (targetId: string) => boolean
) {
	const acc = new Map<string, { total: number; mine: number; bySector: Map<string, number> }>();
	let mySpent = 0;
	votes.forEach((value, key) => {
		const dots = num(value);
		const cut = key.lastIndexOf('|');
		if (dots <= 0 || cut <= 0) return;
		const target = key.slice(0, cut);
		const pid = key.slice(cut + 1);
		const t = acc.get(target) ?? { total: 0, mine: 0, bySector: new Map() };
		t.total += dots;
		if (pid === meId && exists(target)) {
			t.mine += dots;
			mySpent += dots;
		}
		const sector = sectorOf(participants.get(pid));
		t.bySector.set(sector, (t.bySector.get(sector) ?? 0) + dots);
		acc.set(target, t);
	});
	const tallies = new Map<string, Tally>();
	for (const [target, t] of acc) {
		tallies.set(target, { total: t.total, mine: t.mine, bySector: [...t.bySector].sort((a, b) => b[1] - a[1]) });
	}
	return { tallies, mySpent };
}

const byCreated = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
	a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

/**
 * Groups a board's content per question: clusters (oldest first) with their ideas (oldest first),
 * then ungrouped ideas, newest first so a fresh idea shows right under the input.
 * An idea whose cluster is gone, or belongs to another question, counts as ungrouped.
 */
export function buildLanes(ideas: Idea[], clusters: Cluster[]): Map<string, Lane> {
	const lanes = new Map<string, Lane>();
	const lane = (q: string) => {
		let l = lanes.get(q);
		if (!l) lanes.set(q, (l = { groups: [], ungrouped: [], count: 0 }));
		return l;
	};
	const groups = new Map<string, ClusterWithIdeas>();
	for (const c of [...clusters].sort(byCreated)) {
		const g = { cluster: c, ideas: [] };
		groups.set(c.id, g);
		lane(c.questionId).groups.push(g);
	}
	for (const idea of [...ideas].sort(byCreated)) {
		const l = lane(idea.questionId);
		l.count++;
		const g = idea.clusterId ? groups.get(idea.clusterId) : undefined;
		if (g && g.cluster.questionId === idea.questionId) g.ideas.push(idea);
		else l.ungrouped.unshift(idea);
	}
	return lanes;
}
