/**
 * How this person looks at a big board: a search across it, filters (sector, group, mine,
 * ungrouped), a compact view (one line per idea) and collapsed questions. Only the view: nothing
 * here reaches the doc or other people.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ClusterWithIdeas, Idea, Lane } from './board-model';

const COMPACT_KEY = 'minga:compact';

/** Lower case without accents, so "sequia" finds "sequía" (phones often drop them). */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export class BoardView {
	query = $state('');
	/** A sector id, or '' for all. */
	sector = $state('');
	/** A group (cluster) id, or '' for all. */
	group = $state('');
	mine = $state(false);
	ungroupedOnly = $state(false);
	compact = $state(false);
	readonly collapsed = new SvelteSet<string>();
	/** Every lane as the filters show it (question id → lane). */
	readonly shown: ReadonlyMap<string, Lane> = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated
		const out = new Map<string, Lane>();
		for (const [q, lane] of this.lanes()) out.set(q, this.filter(lane));
		return out;
	});
	/** Ideas the filters let through, over the whole board. */
	readonly matches: number = $derived([...this.shown.values()].reduce((n, l) => n + l.count, 0));

	constructor(
		private readonly meId: string,
		private readonly lanes: () => ReadonlyMap<string, Lane>
	) {
		try {
			this.compact = localStorage.getItem(COMPACT_KEY) === '1';
		} catch {
			// Storage may be off (private mode): the view just starts expanded.
		}
	}

	get filtering(): boolean {
		return this.query.trim() !== '' || this.sector !== '' || this.group !== '' || this.mine || this.ungroupedOnly;
	}

	setCompact(on: boolean): void {
		this.compact = on;
		try {
			localStorage.setItem(COMPACT_KEY, on ? '1' : '0');
		} catch {
			// Not remembered, still applied.
		}
	}

	clear(): void {
		this.query = '';
		this.sector = '';
		this.group = '';
		this.mine = false;
		this.ungroupedOnly = false;
	}

	toggleCollapsed(questionId: string): void {
		if (this.collapsed.has(questionId)) this.collapsed.delete(questionId);
		else this.collapsed.add(questionId);
	}

	/** The lane as the filters show it; the same lane object when no filter is on. */
	filter(lane: Lane): Lane {
		if (!this.filtering) return lane;
		const words = fold(this.query).split(/\s+/).filter(Boolean);
		const has = (text: string) => words.every((w) => fold(text).includes(w));
		const fits = (i: Idea) => (this.sector === '' || i.sector === this.sector) && (!this.mine || i.authorId === this.meId);
		const keep = (i: Idea) => fits(i) && has(`${i.text} ${i.authorName}`);
		const groups: ClusterWithIdeas[] = [];
		if (!this.ungroupedOnly) {
			for (const g of lane.groups) {
				if (this.group !== '' && g.cluster.id !== this.group) continue;
				// A group whose name matches the search shows with all its ideas (that fit the other filters).
				const ideas = words.length > 0 && has(g.cluster.title) ? g.ideas.filter(fits) : g.ideas.filter(keep);
				if (ideas.length > 0 || (words.length > 0 && has(g.cluster.title))) groups.push(ideas.length === g.ideas.length ? g : { cluster: g.cluster, ideas });
			}
		}
		const ungrouped = this.group === '' ? lane.ungrouped.filter(keep) : [];
		return { groups, ungrouped, count: groups.reduce((n, g) => n + g.ideas.length, 0) + ungrouped.length };
	}
}
