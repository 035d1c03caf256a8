/**
 * How this person looks at a big board: a search across it, filters (sector, group, mine,
 * ungrouped), a compact view (one row per idea) and collapsed questions. Only the view: nothing
 * here reaches the doc or other people.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { BoardSupport } from '../../../../contract/board-support';
import type { ClusterWithIdeas, Idea, Lane } from './board-model';

/** How lanes are ordered: as written (the default), most dots first, or widest support first. */
export const BOARD_ORDERS = ['time', 'dots', 'support'] as const;
export type BoardOrder = (typeof BOARD_ORDERS)[number];

const COMPACT_KEY = 'minga:compact';
const LIST_KEY = 'minga:list-view';
/** `?vista=lista` opens a board in the list view (and the toggle writes it). */
export const LIST_PARAM = { name: 'vista', value: 'lista' } as const;

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
	/** The list view (headings and lists, ListView.svelte) instead of the lanes. */
	list = $state(false);
	order = $state<BoardOrder>('time');
	readonly collapsed = new SvelteSet<string>();
	/**
	 * Cross-sector support of every idea and group, while the board is sorted by dots or support
	 * (cards then show it too) or shown as a list (which says it in words): one computation per change of the votes, shared by every card.
	 */
	readonly support: BoardSupport | null = $derived.by(() => (this.order === 'time' && !this.list ? null : this.supportOf()));
	/** Every lane as the filters and the order show it (question id → lane). */
	readonly shown: ReadonlyMap<string, Lane> = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated
		const out = new Map<string, Lane>();
		const support = this.support;
		for (const [q, lane] of this.lanes()) out.set(q, support ? this.sort(this.filter(lane), support) : this.filter(lane));
		return out;
	});
	/** Ideas the filters let through, over the whole board. */
	readonly matches: number = $derived([...this.shown.values()].reduce((n, l) => n + l.count, 0));

	constructor(
		private readonly meId: string,
		private readonly lanes: () => ReadonlyMap<string, Lane>,
		/** The board's support now; reads whatever it depends on, so `support` follows the votes. */
		private readonly supportOf: () => BoardSupport
	) {
		try {
			this.compact = localStorage.getItem(COMPACT_KEY) === '1';
			this.list = localStorage.getItem(LIST_KEY) === '1';
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

	/** Lanes or list; remembered on this device. */
	setList(on: boolean): void {
		this.list = on;
		try {
			localStorage.setItem(LIST_KEY, on ? '1' : '0');
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

	/** Groups, their ideas and the ungrouped ideas, best first by the order chosen; ties keep time order. */
	private sort(lane: Lane, support: BoardSupport): Lane {
		const key = (s: { dots: number; consensus: number } | undefined) => (this.order === 'dots' ? [s?.dots ?? 0, s?.consensus ?? 0] : [s?.consensus ?? 0, s?.dots ?? 0]);
		const best = <T>(items: T[], of: (t: T) => { dots: number; consensus: number } | undefined) =>
			items
				.map((item, i) => ({ item, i, k: key(of(item)) }))
				.sort((a, b) => b.k[0]! - a.k[0]! || b.k[1]! - a.k[1]! || a.i - b.i)
				.map((x) => x.item);
		const idea = (i: Idea) => support.ideas.get(i.id);
		return {
			groups: best(lane.groups, (g) => support.clusters.get(g.cluster.id)).map((g) => ({ cluster: g.cluster, ideas: best(g.ideas, idea) })),
			ungrouped: best(lane.ungrouped, idea),
			count: lane.count
		};
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
