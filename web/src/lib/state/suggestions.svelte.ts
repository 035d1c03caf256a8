/**
 * "Sugerir grupos" for one question: asks the server (`GET /api/boards/:id/suggestions`), lets
 * the person rename and accept groups, and writes what they accept as ordinary clusters and
 * `clusterId`s on the board's Y.Doc: one transaction per acceptance, with an origin of its own so
 * that a `Y.UndoManager` scoped to it can take exactly that back ("Deshacer") for a while.
 */
import * as Y from 'yjs';
import { api, ApiError } from '$lib/api';
import { newId } from '$lib/sync/ids';
import { MAX_CLUSTER_TITLE_CHARS, MAX_CLUSTERS_PER_BOARD } from '../../../../contract/board-document';
import type { BoardDoc } from './board-doc.svelte';

/** A group's title is one line: a line break (pasted) becomes a space; `trim` also drops the spaces around it. */
export function oneLine(title: string, trim = true): string {
	const line = title.replace(/[^\S\r\n]*[\r\n]+[^\S\r\n]*/g, ' ');
	return trim ? line.trim() : line;
}

/** How long "Deshacer" stays offered after the last acceptance (ms). */
export const UNDO_OFFER_MS = 30_000;

export interface DraftGroup {
	key: string;
	/** Editable; the suggested title until renamed. */
	title: string;
	suggestedTitle: string;
	ideaIds: string[];
	words: string[];
}

export type SuggestionsPhase = 'closed' | 'loading' | 'ready' | 'error';

/**
 * How many more groups accepting may create, and which bound says so: `person`, the groups one
 * participant may create on a board (MAX_CLUSTERS_PER_PARTICIPANT, counted by the server), or
 * `board`, the groups a board may hold (MAX_CLUSTERS_PER_BOARD).
 */
export interface GroupRoom {
	left: number;
	bound: 'person' | 'board';
}

/** Groups on the doc that this client wrote (each Y client id is one page's copy of the doc). */
function groupsWrittenHere(doc: Y.Doc): number {
	let n = 0;
	for (const cluster of doc.getMap<Y.Map<unknown>>('clusters').values()) if (cluster._item?.id.client === doc.clientID) n++;
	return n;
}

/** Transaction origin of accepted suggestions (origins are tagged by `source`, as elsewhere). */
interface AcceptOrigin {
	source: 'suggestions';
	questionId: string;
}

export class GroupSuggestions {
	phase = $state<SuggestionsPhase>('closed');
	groups = $state<DraftGroup[]>([]);
	unplaced = $state.raw<string[]>([]);
	error = $state<ApiError | null>(null);
	/** Acceptances that "Deshacer" can still take back, last first (0: nothing offered). */
	undoable = $state(0);
	/** Groups created by the acceptance that "Deshacer" would take back next. */
	lastAccepted = $state(0);

	/**
	 * The server's `groupsLeft` with the doc it was counted against and this page's groups on it
	 * then: what this page creates or deletes afterwards (by accepting, undoing, or by hand) moves it.
	 */
	private counted = $state.raw<{ groupsLeft: number | null; doc: Y.Doc | null; here: number }>({ groupsLeft: null, doc: null, here: 0 });

	/** How many more groups "Aceptar" may create now (follows the board's changes). */
	readonly room = $derived.by((): GroupRoom => {
		void this.board.doc.lanes; // replaced whenever a group is created or deleted
		return this.roomNow();
	});

	private readonly origin: AcceptOrigin;
	private undo: { manager: Y.UndoManager; doc: Y.Doc; sizes: number[] } | null = null;
	private undoTimer: ReturnType<typeof setTimeout> | null = null;
	private request = 0;

	constructor(
		private readonly board: { boardId: string; token: string; doc: BoardDoc },
		readonly questionId: string
	) {
		this.origin = { source: 'suggestions', questionId };
	}

	async ask(): Promise<void> {
		const mine = ++this.request;
		this.phase = 'loading';
		this.error = null;
		try {
			const res = await api.suggestions(this.board.boardId, this.questionId, this.board.token);
			if (mine !== this.request) return;
			this.groups = res.groups.map((g, i) => ({ key: `${mine}-${i}`, title: g.title, suggestedTitle: g.title, ideaIds: g.ideaIds, words: g.words }));
			this.unplaced = res.unplaced;
			const doc = this.board.doc.live?.doc ?? null;
			this.counted = { groupsLeft: res.groupsLeft, doc, here: doc ? groupsWrittenHere(doc) : 0 };
			this.phase = 'ready';
		} catch (e) {
			if (mine !== this.request) return;
			this.error = e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', String(e), String(e));
			this.phase = 'error';
		}
	}

	/** Nothing is written: the suggestions are forgotten. */
	dismiss(): void {
		this.request++;
		this.phase = 'closed';
		this.groups = [];
		this.unplaced = [];
		this.error = null;
	}

	/**
	 * Creates the groups with these keys (all when omitted), in list order and no more than `room`
	 * allows, in one transaction, and takes them off the list (the ones that did not fit stay).
	 * Ideas deleted or grouped by someone else meanwhile are left where they are; a group left with
	 * none is not created. Returns how many groups were created.
	 */
	accept(keys?: readonly string[]): number {
		const chosen = this.groups.filter((g) => !keys || keys.includes(g.key));
		const live = this.board.doc.live;
		const room = this.roomNow().left;
		if (!live || chosen.length === 0 || room === 0) return 0;
		const { doc } = live;
		const ideas = doc.getMap<Y.Map<unknown>>('ideas');
		const clusters = doc.getMap<Y.Map<unknown>>('clusters');
		const free = (ideaId: string) => {
			const clusterId = ideas.get(ideaId)?.get('clusterId');
			return ideas.has(ideaId) && !(typeof clusterId === 'string' && clusters.get(clusterId)?.get('questionId') === this.questionId);
		};
		const manager = this.undoManagerFor(doc);
		manager.stopCapturing();
		let created = 0;
		const done: DraftGroup[] = [];
		doc.transact(() => {
			const now = Date.now();
			for (const g of chosen) {
				if (created === room) break;
				done.push(g);
				const members = g.ideaIds.filter(free);
				if (members.length === 0) continue;
				const id = newId();
				const cluster = new Y.Map<unknown>();
				clusters.set(id, cluster);
				cluster.set('title', (oneLine(g.title) || g.suggestedTitle).slice(0, MAX_CLUSTER_TITLE_CHARS));
				cluster.set('questionId', this.questionId);
				cluster.set('createdAt', now);
				for (const ideaId of members) ideas.get(ideaId)!.set('clusterId', id);
				created++;
			}
		}, this.origin);
		this.groups = this.groups.filter((g) => !done.includes(g));
		if (created > 0) this.offerUndo(created);
		return created;
	}

	/** Takes back the last acceptance still offered. Returns how many groups it removed. */
	undoLast(): number {
		const undo = this.undo;
		if (!undo || this.board.doc.live?.doc !== undo.doc) {
			this.dropUndo();
			return 0;
		}
		undo.manager.undo();
		const removed = undo.sizes.pop() ?? 0;
		this.undoable = undo.sizes.length;
		this.lastAccepted = undo.sizes.at(-1) ?? 0;
		if (this.undoable === 0) this.dropUndo();
		return removed;
	}

	destroy(): void {
		this.request++;
		this.dropUndo();
	}

	/** The room now, read from the doc (not from `room`, which follows it a microtask later). */
	private roomNow(): GroupRoom {
		const doc = this.board.doc.live?.doc;
		const board = MAX_CLUSTERS_PER_BOARD - (doc?.getMap('clusters').size ?? 0);
		const { groupsLeft, doc: then, here } = this.counted;
		// A doc that replaced the counted one (after a refusal) holds only what this page wrote since.
		const person = groupsLeft === null || !doc ? Infinity : groupsLeft - (groupsWrittenHere(doc) - (doc === then ? here : 0));
		return person <= board ? { left: Math.max(0, person), bound: 'person' } : { left: Math.max(0, board), bound: 'board' };
	}

	/** The board's doc is replaced after a refused update: an UndoManager of the old one is useless. */
	private undoManagerFor(doc: Y.Doc): Y.UndoManager {
		if (this.undo?.doc === doc) return this.undo.manager;
		this.dropUndo();
		const manager = new Y.UndoManager([doc.getMap('ideas'), doc.getMap('clusters')], {
			trackedOrigins: new Set([this.origin]), // eslint-disable-line svelte/prefer-svelte-reactivity -- Yjs's option, not state
			captureTimeout: 0
		});
		this.undo = { manager, doc, sizes: [] };
		return manager;
	}

	private offerUndo(created: number): void {
		this.undo!.sizes.push(created);
		this.undoable = this.undo!.sizes.length;
		this.lastAccepted = created;
		if (this.undoTimer) clearTimeout(this.undoTimer);
		this.undoTimer = setTimeout(() => this.dropUndo(), UNDO_OFFER_MS);
	}

	private dropUndo(): void {
		if (this.undoTimer) clearTimeout(this.undoTimer);
		this.undoTimer = null;
		this.undo?.manager.destroy();
		this.undo = null;
		this.undoable = 0;
		this.lastAccepted = 0;
	}
}
