/** Plain data read from a board's Y.Doc (board-index.ts keeps it up to date). */
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

/** The tally of an idea or group nobody has dotted: one shared object, never mutated. */
export const NO_DOTS: Readonly<Tally> = Object.freeze({ total: 0, mine: 0, bySector: [] });

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
