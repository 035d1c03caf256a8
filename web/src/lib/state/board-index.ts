/**
 * The board doc read into plain data, kept up to date change by change: a remote edit re-reads
 * that one idea, rebuilds only the lanes it touches, and every idea, group and lane that did not
 * change keeps its object, so the page (keyed on those objects) redraws only what changed. With
 * 2,000 ideas and 20 remote changes a second, rebuilding everything on every change was the
 * browser's whole budget.
 */
import type * as Y from 'yjs';
import { boardSupport, type BoardSupport } from '../../../../contract/board-support';
import { NO_DOTS, readCluster, readIdea, type Cluster, type ClusterWithIdeas, type Idea, type Lane, type Tally } from './board-model';

export interface Changes {
	ideas: Iterable<string>;
	clusters: Iterable<string>;
	/** Keys of the votes map, `"<targetId>|<participantId>"`. */
	votes: Iterable<string>;
	participants: Iterable<string>;
}

export interface Applied {
	/** Some lane object was replaced (the `lanes` map is a new one). */
	lanes: boolean;
	/** Targets whose tally changed (or disappeared: `tally()` is then undefined). */
	tallies: Set<string>;
	/** Ideas that appeared (for "3 ideas nuevas"). */
	added: Idea[];
}

const EMPTY_LANE: Lane = { groups: [], ungrouped: [], count: 0 };

const byCreated = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
	a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class BoardIndex {
	/** Question id → its lane; a new map whenever a lane changed. */
	lanes: ReadonlyMap<string, Lane> = new Map();
	private readonly ideas = new Map<string, Idea>();
	private readonly clusters = new Map<string, Cluster>();
	/** Ideas a facilitator hid (from the hidden doc): shown dimmed, unless the board has the idea. */
	private hidden: ReadonlyMap<string, Idea> = new Map();
	private readonly byQuestion = new Map<string, Set<string>>();
	private readonly clustersByQuestion = new Map<string, Set<string>>();
	private readonly dots = new Map<string, Map<string, number>>();
	private readonly votedBy = new Map<string, Set<string>>();
	private readonly tallies = new Map<string, Tally>();

	/** What changed since the last `flush`, by map (entry ids, or vote keys). */
	private readonly pending = { ideas: new Set<string>(), clusters: new Set<string>(), votes: new Set<string>(), participants: new Set<string>() };

	/**
	 * `changed` runs after every doc change that touches the board (batch them, then `flush`);
	 * `local`: the change was made on this page, not received.
	 */
	constructor(
		private readonly doc: Y.Doc,
		private readonly meId: string,
		changed: (local: boolean) => void = () => {}
	) {
		for (const name of ['ideas', 'clusters', 'votes', 'participants'] as const) {
			const map = doc.getMap(name);
			map.observeDeep((events, transaction) => {
				const into = this.pending[name];
				// A key of the map itself (added, removed, replaced), or a field inside one entry.
				for (const e of events) {
					if (e.target === map) for (const key of (e as Y.YMapEvent<unknown>).keysChanged) into.add(key);
					else if (typeof e.path[0] === 'string') into.add(e.path[0]);
				}
				changed(transaction.local);
			});
		}
	}

	/** Applies what changed since the last call. */
	flush(): Applied {
		const { ideas, clusters, votes, participants } = this.pending;
		const applied = this.apply({ ideas: [...ideas], clusters: [...clusters], votes: [...votes], participants: [...participants] });
		for (const set of [ideas, clusters, votes, participants]) set.clear();
		return applied;
	}

	idea(id: string): Idea | undefined {
		return this.ideas.get(id);
	}
	cluster(id: string): Cluster | undefined {
		return this.clusters.get(id);
	}
	/** A target's dots: NO_DOTS for an idea or group on the board that has none, undefined once it is gone. */
	tally(targetId: string): Tally | undefined {
		return this.tallies.get(targetId) ?? (this.ideas.has(targetId) || this.clusters.has(targetId) || this.hidden.has(targetId) ? NO_DOTS : undefined);
	}
	/** Every idea and group on the board (hidden ideas too). */
	*targets(): Iterable<string> {
		yield* this.ideas.keys();
		yield* this.clusters.keys();
		yield* this.hidden.keys();
	}
	get ideaCount(): number {
		return this.ideas.size;
	}

	/** Dots this person has on targets that still exist (the server returns the others). */
	mySpent(): number {
		let n = 0;
		for (const [target, voters] of this.dots) {
			const mine = voters.get(this.meId);
			if (mine && (this.ideas.has(target) || this.clusters.has(target) || this.hidden.has(target))) n += mine;
		}
		return n;
	}

	/** Reads everything (the first sync). */
	rebuild(): Applied {
		for (const set of Object.values(this.pending)) set.clear();
		const ideas = this.doc.getMap<unknown>('ideas');
		const clusters = this.doc.getMap<unknown>('clusters');
		const votes = this.doc.getMap<unknown>('votes');
		const stale = [...this.ideas.keys()].filter((id) => !ideas.has(id));
		const staleClusters = [...this.clusters.keys()].filter((id) => !clusters.has(id));
		const staleVotes = [...this.dots].flatMap(([t, voters]) => [...voters.keys()].map((p) => `${t}|${p}`)).filter((k) => !votes.has(k));
		return this.apply({
			ideas: [...ideas.keys(), ...stale],
			clusters: [...clusters.keys(), ...staleClusters],
			votes: [...votes.keys(), ...staleVotes],
			participants: []
		});
	}

	setHidden(ideas: readonly Idea[]): Applied {
		const before = this.hidden;
		this.hidden = new Map(ideas.map((i) => [i.id, i]));
		const touched = new Set<string>();
		const tallies = new Set<string>(); // hidden ideas that appeared or went: their NO_DOTS entry
		for (const i of [...before.values(), ...ideas]) {
			touched.add(i.questionId);
			if (before.has(i.id) !== this.hidden.has(i.id)) tallies.add(i.id);
		}
		const lanes = this.rebuildLanes(touched);
		return { lanes, tallies, added: [] };
	}

	private apply(changes: Changes): Applied {
		const lanes = new Set<string>();
		const added: Idea[] = [];
		const tallies = new Set<string>();
		const ideaMap = this.doc.getMap<unknown>('ideas');
		for (const id of new Set(changes.ideas)) {
			const before = this.ideas.get(id);
			const after = readIdea(id, ideaMap.get(id));
			if (before && after && sameIdea(before, after)) continue;
			if (before) {
				lanes.add(before.questionId);
				this.byQuestion.get(before.questionId)?.delete(id);
				this.ideas.delete(id);
			}
			if (after) {
				lanes.add(after.questionId);
				this.ideas.set(id, after);
				let set = this.byQuestion.get(after.questionId);
				if (!set) this.byQuestion.set(after.questionId, (set = new Set()));
				set.add(id);
				if (!before) added.push(after);
			}
			if (!before !== !after) tallies.add(id); // appeared or gone: `mine` may count differently
		}
		const clusterMap = this.doc.getMap<unknown>('clusters');
		for (const id of new Set(changes.clusters)) {
			const before = this.clusters.get(id);
			const after = readCluster(id, clusterMap.get(id));
			if (before && after && before.title === after.title && before.questionId === after.questionId && before.createdAt === after.createdAt) continue;
			if (before) {
				lanes.add(before.questionId);
				this.clustersByQuestion.get(before.questionId)?.delete(id);
				this.clusters.delete(id);
			}
			if (after) {
				lanes.add(after.questionId);
				this.clusters.set(id, after);
				let set = this.clustersByQuestion.get(after.questionId);
				if (!set) this.clustersByQuestion.set(after.questionId, (set = new Set()));
				set.add(id);
			}
			if (!before !== !after) tallies.add(id);
		}
		const votes = this.doc.getMap<unknown>('votes');
		for (const key of new Set(changes.votes)) {
			const cut = key.lastIndexOf('|');
			if (cut <= 0) continue;
			const target = key.slice(0, cut);
			const voter = key.slice(cut + 1);
			const value = votes.get(key);
			const n = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
			let voters = this.dots.get(target);
			if (n > 0) {
				if (!voters) this.dots.set(target, (voters = new Map()));
				voters.set(voter, n);
				let targets = this.votedBy.get(voter);
				if (!targets) this.votedBy.set(voter, (targets = new Set()));
				targets.add(target);
			} else if (voters) {
				voters.delete(voter);
				if (voters.size === 0) this.dots.delete(target);
				this.votedBy.get(voter)?.delete(target);
			}
			tallies.add(target);
		}
		// A participant's sector changed: their dots move between sectors.
		for (const pid of new Set(changes.participants)) for (const t of this.votedBy.get(pid) ?? []) tallies.add(t);
		for (const t of tallies) this.retally(t);
		return { lanes: this.rebuildLanes(lanes), tallies, added };
	}

	/**
	 * Cross-sector support of every idea and group (contract/board-support.ts), from the dots this
	 * index already holds: computed on demand (the projector's and the board's rankings), never per change.
	 */
	support(): BoardSupport {
		const participants = this.doc.getMap<unknown>('participants');
		return boardSupport({
			votes: [...this.dots].flatMap(([target, voters]) => [...voters].map(([pid, n]) => [`${target}|${pid}`, n] as [string, number])),
			sectorOf: (pid) => sectorOf(participants.get(pid)),
			clusterOf: (id) => this.ideas.get(id)?.clusterId ?? null,
			ideaIds: this.ideas.keys(),
			clusterIds: this.clusters.keys()
		});
	}

	private retally(target: string): void {
		const voters = this.dots.get(target);
		if (!voters) {
			this.tallies.delete(target);
			return;
		}
		const participants = this.doc.getMap<unknown>('participants');
		const exists = this.ideas.has(target) || this.clusters.has(target) || this.hidden.has(target);
		let total = 0;
		let mine = 0;
		const bySector = new Map<string, number>();
		for (const [pid, n] of voters) {
			total += n;
			if (pid === this.meId && exists) mine += n;
			const sector = sectorOf(participants.get(pid));
			bySector.set(sector, (bySector.get(sector) ?? 0) + n);
		}
		this.tallies.set(target, { total, mine, bySector: [...bySector].sort((a, b) => b[1] - a[1]) });
	}

	/** Rebuilds the lanes of these questions, keeping every group and list that did not change. */
	private rebuildLanes(questions: Set<string>): boolean {
		if (questions.size === 0) return false;
		let next: Map<string, Lane> | null = null;
		for (const q of questions) {
			const before = this.lanes.get(q);
			const after = this.buildLane(q, before);
			if (after === before) continue;
			next ??= new Map(this.lanes);
			if (after.count === 0 && after.groups.length === 0) next.delete(q);
			else next.set(q, after);
		}
		if (!next) return false;
		this.lanes = next;
		return true;
	}

	/**
	 * Groups (oldest first) with their ideas (oldest first), then ungrouped ideas, newest first so a
	 * fresh idea shows right under the input. An idea whose group is gone, or belongs to another
	 * question, counts as ungrouped. Hidden ideas are in their place, marked `hidden`.
	 */
	private buildLane(q: string, before: Lane | undefined): Lane {
		const ideas: Idea[] = [];
		for (const id of this.byQuestion.get(q) ?? []) ideas.push(this.ideas.get(id)!);
		for (const h of this.hidden.values()) if (h.questionId === q && !this.ideas.has(h.id)) ideas.push(h);
		ideas.sort(byCreated);
		const clusters = [...(this.clustersByQuestion.get(q) ?? [])].map((id) => this.clusters.get(id)!).sort(byCreated);
		const members = new Map<string, Idea[]>(clusters.map((c) => [c.id, []]));
		const ungrouped: Idea[] = [];
		for (const idea of ideas) {
			const list = idea.clusterId ? members.get(idea.clusterId) : undefined;
			if (list) list.push(idea);
			else ungrouped.unshift(idea);
		}
		const previous = new Map((before?.groups ?? []).map((g) => [g.cluster.id, g]));
		const groups: ClusterWithIdeas[] = clusters.map((cluster) => {
			const list = members.get(cluster.id)!;
			const old = previous.get(cluster.id);
			return old && old.cluster === cluster && sameList(old.ideas, list) ? old : { cluster, ideas: list };
		});
		if (before && sameList(before.groups, groups) && sameList(before.ungrouped, ungrouped)) return before;
		if (ideas.length === 0 && groups.length === 0) return before && before.count === 0 && before.groups.length === 0 ? before : EMPTY_LANE;
		return {
			groups,
			ungrouped: before && sameList(before.ungrouped, ungrouped) ? before.ungrouped : ungrouped,
			count: ideas.length
		};
	}
}

function sameIdea(a: Idea, b: Idea): boolean {
	return (
		a.text === b.text &&
		a.questionId === b.questionId &&
		a.clusterId === b.clusterId &&
		a.authorId === b.authorId &&
		a.authorName === b.authorName &&
		a.sector === b.sector &&
		a.createdAt === b.createdAt &&
		a.hidden === b.hidden
	);
}

/** A participants entry may be a plain object or a Y.Map, depending on how the server wrote it. */
function sectorOf(entry: unknown): string {
	if (!entry || typeof entry !== 'object') return '';
	const v = typeof (entry as Y.Map<unknown>).get === 'function' ? (entry as Y.Map<unknown>).get('sector') : (entry as { sector?: unknown }).sector;
	return typeof v === 'string' ? v : '';
}
