/**
 * The content plane of one board: a Y.Doc synced with y-websocket, read into runes state.
 * Writes follow the board document contract (DESIGN.md, docs/api.md) so the server rarely has a
 * reason to refuse them. If it does (a race with a lock or a phase, edits made offline), the doc is
 * replaced by a fresh one synced from the server and every change the server never accepted is
 * carried over on its own (web/src/lib/sync/rebase.ts): valid work lands, and ideas refused even
 * alone are offered back to their author (`unsent`).
 */
import * as Y from 'yjs';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import type { Me } from '$lib/api';
import { newId } from '$lib/sync/ids';
import { followCloseCodes } from '$lib/sync/close-codes';
import type { ErrorBody } from '$lib/sync/events';
import { rewriteIdea, writeIdea } from './idea-writes';
import { SvelteMap } from 'svelte/reactivity';
import type { Cluster, Idea, Lane, Tally } from './board-model';
import { BoardIndex, type Applied } from './board-index';
import type { HiddenIdeas } from './hidden-ideas.svelte';
import { readPresence, type PresenceUser } from './presence';
import { CARRIED, carryOver, unsentIdeas, type UnsentIdea } from '$lib/sync/rebase';
import { Acks } from '$lib/sync/acks';
import { LocalDoc, localDocName } from '$lib/offline/local-doc';
import { MAX_CLUSTER_TITLE_CHARS as MAX_TITLE_CHARS } from '../../../../contract/board-document';

export { MAX_IDEA_CHARS } from './idea-writes';
export { MAX_CLUSTER_TITLE_CHARS as MAX_TITLE_CHARS } from '../../../../contract/board-document';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

/** The Y.Doc in use, its provider, and whether it has synced with the server at least once. */
export interface LiveDoc {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: boolean;
}

export interface BoardDocEvents {
	/** The server refused one of our updates; the doc is being resynced. */
	refused(error: ErrorBody): void;
	/** The token cannot open this board (close 4401/4403/4404): join again. */
	rejoin(code: number): void;
	/** The connection closed for good for another reason (4400). */
	failed(code: number): void;
	/** Ideas written by others arrived (after the first sync). */
	/** Ideas others posted reached this board (their question ids). */
	remoteIdeas(questionIds: string[]): void;
}

/** Received changes are drawn together, at most this often (ms); changes made here at once. */
export const REMOTE_REDRAW_MS = 150;

export class BoardDoc {
	/** Question id → lane. Replaced when a lane changes; unchanged lanes, groups and ideas keep their objects. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
	lanes = $state.raw<ReadonlyMap<string, Lane>>(new Map());
	/**
	 * Vote tallies by target: one entry changes when one target's dots do. Every idea and group on
	 * the board has an entry (NO_DOTS when undotted): a SvelteMap read at a missing key follows the
	 * whole map, so 2,000 undotted cards re-read their votes on every dot anyone gave.
	 */
	readonly tallies = new SvelteMap<string, Tally>();
	/** Dots this participant has on targets that still exist. */
	mySpent = $state(0);
	/** Ideas on the board (hidden ones not counted). */
	ideaCount = $state(0);
	presence = $state.raw<PresenceUser[]>([]);
	status = $state<ConnectionStatus>('connecting');
	/** Has the board to show: synced with the server once, or loaded the copy stored on this device. */
	synced = $state(false);
	/** Changes made here that the server is not known to hold yet (see sync/acks.ts). */
	unsynced = $state(false);
	/** Set when this page created a cluster, so the cluster opens its title for editing. */
	freshClusterId = $state<string | null>(null);
	/** This person's ideas that the server refused even when sent again alone (offered back). */
	unsent = $state.raw<UnsentIdea[]>([]);


	/** Replaced when a refused update forces a resync, so editors bound to the doc (the proposal) rebind. */
	live = $state.raw<LiveDoc | null>(null);

	private doc!: Y.Doc;
	private provider!: WebsocketProvider;
	private acks!: Acks;
	/** The copy of the doc on this device (offline/local-doc.ts); none between a refusal and the fresh sync. */
	private local: LocalDoc | null = null;
	private unfollow: () => void = () => {};
	private scheduled = false;
	private index!: BoardIndex;
	private resetting = false;
	/** Between dropping a refused doc and the new connection: not a connection loss to report. */
	private resyncing = false;
	/**
	 * This doc holds changes made here (not received from the server). Without any, a refusal is
	 * about the empty sync reply y-websocket sends on every connection (the server refuses even that
	 * while a board is locked): there is nothing to drop, and resyncing would only loop.
	 */
	private dirty = false;
	/** Signatures of the changes carried over in the last recovery (see carryOver). */
	private carried: ReadonlySet<string> = new Set(); // eslint-disable-line svelte/prefer-svelte-reactivity -- plain data, not state
	/** The person edited since the last carry-over: a refusal now is about their edit, not a carried one. */
	private editedSinceCarry = true;
	private focus: string | null = null;

	constructor(
		readonly boardId: string,
		readonly me: Me,
		private readonly token: string,
		private readonly events: BoardDocEvents,
		private readonly hidden: HiddenIdeas | null = null
	) {
		if (hidden) hidden.onChange = () => this.hiddenChanged();
		this.connect();
		addEventListener('offline', this.onOffline);
		addEventListener('online', this.onOnline);
	}

	// The browser knows at once when the network is gone; y-websocket would notice only after
	// its 30 s watchdog. Offline edits stay in the doc and sync when the socket is back.
	private onOffline = () => this.provider.disconnect();
	private onOnline = () => {
		if (this.loaded) this.provider.connect();
	};
	/** The stored copy is in the doc (or there is none): only then may the provider connect. */
	private loaded = false;

	private get localName(): string {
		return localDocName(this.me.workshopCode, this.boardId, this.me.id);
	}

	private get ideaMap() {
		return this.doc.getMap<Y.Map<unknown>>('ideas');
	}
	private get clusterMap() {
		return this.doc.getMap<Y.Map<unknown>>('clusters');
	}

	/** Opens a fresh doc; `carryFrom` is the refused doc whose pending changes move over once synced. */
	private connect(carryFrom: Y.Doc | null = null): void {
		const doc = new Y.Doc();
		// First open: the stored copy goes in before the provider connects, so the first paint shows
		// it and the server is sent only what it lacks. After a refusal the stored copy holds the
		// refused change: the fresh doc is stored only once the carry-over is done (see carry).
		if (!carryFrom) this.local = new LocalDoc(this.localName, doc);
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		const provider = new WebsocketProvider(wsBase, this.boardId, doc, {
			params: { token: this.token },
			// Cross-tab sync would bypass the server's checks and keep refused changes alive.
			disableBc: true,
			connect: false
		});
		if (carryFrom) provider.connect();
		else if (!this.local!.mayHoldCopy) {
			// Never stored on this device (a first visit): nothing to put in the doc first, so the
			// board is asked for while IndexedDB opens instead of after.
			this.loaded = true;
			if (navigator.onLine) provider.connect();
			else this.status = 'disconnected';
		} else
			void this.local!.ready.then((stored) => {
				this.loaded = true;
				if (this.provider !== provider) return;
				if (stored) {
					this.publish(this.index.rebuild(), true);
					this.synced = true;
				}
				if (navigator.onLine) provider.connect();
				else this.status = 'disconnected';
			});
		this.unfollow = followCloseCodes(provider, { rejoin: (code) => this.events.rejoin(code), failed: (code) => this.events.failed(code) });
		provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
			authProtocol.readAuthMessage(decoder, doc, (_y, reason) => this.onRefused(reason));
		};
		provider.on('status', ({ status }) => {
			if (this.resyncing && status !== 'connected') return;
			this.resyncing = false;
			this.status = status;
		});
		provider.on('sync', (synced) => {
			if (synced && carryFrom && this.doc === doc) {
				this.carry(carryFrom, doc);
				carryFrom = null;
			}
			if (synced && this.live?.doc === doc && !this.live.synced) this.live = { doc, provider, synced: true };
			if (synced) this.publish(this.index.rebuild(), true);
			if (synced && this.doc === doc) this.local?.markSynced();
			this.synced = this.synced || synced;
		});
		provider.awareness.on('change', () => this.refreshPresence());
		provider.awareness.setLocalState({ focus: this.focus });
		this.doc = doc;
		this.index = new BoardIndex(doc, this.me.id, (local) => this.schedule(local));
		this.hiddenDirty = true;
		this.provider = provider;
		this.acks?.destroy();
		this.acks = new Acks(doc, provider, (pending) => (this.unsynced = pending));
		this.unsynced = false;
		this.dirty = false;
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === provider) return;
			this.dirty = true;
			if (origin !== CARRIED) this.editedSinceCarry = true;
		});
		this.live = { doc, provider, synced: false };
	}

	private onRefused(reason: string): void {
		let error: ErrorBody;
		try {
			error = JSON.parse(reason) as ErrorBody;
		} catch {
			error = { code: 'REFUSED', message: reason, messageEn: reason };
		}
		if (!this.dirty) return;
		this.acks.refuse();
		// A carried change refused again is offered back (unsent), not reported twice.
		if (this.editedSinceCarry) this.events.refused(error);
		if (this.resetting) return;
		this.resetting = true;
		// Not from inside the provider's message handler: let it finish with the old socket first.
		setTimeout(() => {
			this.resyncing = true;
			const refused = this.doc;
			this.closeProvider();
			this.connect(refused);
			this.resetting = false;
		}, 0);
	}

	/** Moves what `old` holds and the server lacks onto the freshly synced doc (see rebase.ts). */
	private carry(old: Y.Doc, fresh: Y.Doc): void {
		const { carried, dropped } = carryOver(old, fresh, this.carried);
		old.destroy();
		// The stored copy holds the refused change: replace it with the fresh doc (which stores its
		// whole state when it opens), so a reload never brings the refused change back.
		const stale = this.local;
		this.local = null;
		void (stale?.clear() ?? Promise.resolve()).then(() => {
			if (this.doc === fresh && !this.local) this.local = new LocalDoc(this.localName, fresh);
		});
		this.carried = carried;
		this.editedSinceCarry = false;
		this.offerBack(unsentIdeas(dropped, this.me.id));
	}

	/** Ideas to offer back to their author (also from the private doc). */
	offerBack(ideas: readonly UnsentIdea[]): void {
		const fresh = ideas.filter((i) => !this.unsent.some((u) => u.id === i.id));
		if (fresh.length > 0) this.unsent = [...this.unsent, ...fresh];
	}

	/** Posts an unsent idea again (as a new idea) and stops offering it. */
	retryUnsent(id: string): void {
		const idea = this.unsent.find((u) => u.id === id);
		if (!idea) return;
		this.unsent = this.unsent.filter((u) => u.id !== id);
		this.addIdea(idea.questionId, idea.text);
	}

	discardUnsent(id: string): void {
		this.unsent = this.unsent.filter((u) => u.id !== id);
	}

	/**
	 * A change made here is drawn at once; changes received are drawn at most every
	 * REMOTE_REDRAW_MS, together: 20 remote changes a second redrawn one by one kept a phone's
	 * main thread busy, and a collaborator's change arriving 150 ms later is not seen as late.
	 */
	private schedule(local = true): void {
		if (!local && !this.scheduled) {
			if (this.redrawTimer !== undefined) return;
			const wait = this.lastRefresh + REMOTE_REDRAW_MS - performance.now();
			if (wait > 0) {
				this.redrawTimer = setTimeout(() => {
					this.redrawTimer = undefined;
					this.schedule();
				}, wait);
				return;
			}
		}
		if (this.scheduled) return;
		this.scheduled = true;
		queueMicrotask(() => {
			this.scheduled = false;
			clearTimeout(this.redrawTimer);
			this.redrawTimer = undefined;
			this.lastRefresh = performance.now();
			this.refresh();
		});
	}
	private lastRefresh = -Infinity;
	private redrawTimer: ReturnType<typeof setTimeout> | undefined;

	/** Cross-sector support of the board's ideas and groups now (read `tallies` first to follow changes). */
	support() {
		return this.index.support();
	}

	/** Hands what changed since the last flush to the index, and its answer to the page. */
	private refresh(): void {
		this.publish(this.index.flush(), false);
	}

	private hiddenDirty = true;

	private publish(applied: Applied, all: boolean): void {
		if (this.hidden && this.hiddenDirty) {
			this.hiddenDirty = false;
			const h = this.index.setHidden(this.hidden.ideas);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- local
			applied = { ...applied, lanes: applied.lanes || h.lanes, tallies: new Set([...applied.tallies, ...h.tallies]) };
		}
		if (applied.lanes) this.lanes = this.index.lanes;
		if (all) {
			for (const key of [...this.tallies.keys()]) if (!this.index.tally(key)) this.tallies.delete(key);
		}
		for (const t of all ? this.allTallyTargets() : applied.tallies) {
			const tally = this.index.tally(t);
			if (!tally) this.tallies.delete(t);
			else if (this.tallies.get(t) !== tally) this.tallies.set(t, tally);
		}
		this.mySpent = this.index.mySpent();
		this.ideaCount = this.index.ideaCount;
		const fresh = this.synced && !all ? applied.added.filter((i) => i.authorId !== this.me.id) : [];
		if (fresh.length > 0) this.events.remoteIdeas(fresh.map((i) => i.questionId));
		// An idea offered back that reached the board after all (its first send was only late).
		if (this.unsent.some((u) => this.index.idea(u.id))) this.unsent = this.unsent.filter((u) => !this.index.idea(u.id));
	}

	private allTallyTargets(): string[] {
		const targets = new Set<string>(); // eslint-disable-line svelte/prefer-svelte-reactivity -- local
		for (const key of this.doc.getMap('votes').keys()) targets.add(key.slice(0, key.lastIndexOf('|')));
		for (const id of this.index.targets()) targets.add(id);
		return [...targets];
	}

	/** The hidden doc changed (facilitators): its ideas join their lanes, dimmed. */
	hiddenChanged(): void {
		this.hiddenDirty = true;
		this.schedule();
	}

	/** A group's title, for announcements (not reactive). */
	clusterTitle(id: string): string | undefined {
		return this.index.cluster(id)?.title;
	}

	cluster(id: string): Cluster | undefined {
		return this.index.cluster(id);
	}

	idea(id: string): Idea | undefined {
		return this.index.idea(id);
	}

	/** Deferred: focus events can fire while Svelte updates the DOM, where state writes are refused. */
	private refreshPresence(): void {
		queueMicrotask(() => {
			const { awareness } = this.provider;
			this.presence = readPresence(awareness.getStates(), awareness.clientID, this.me, this.focus);
		});
	}

	// ——— writes ———

	canEdit(idea: Idea): boolean {
		return idea.authorId === this.me.id || this.me.role === 'facilitator';
	}

	addIdea(questionId: string, raw: string): string | null {
		return writeIdea(this.ideaMap, this.me, questionId, raw);
	}

	editIdea(id: string, raw: string): void {
		rewriteIdea(this.ideaMap, id, raw);
	}

	deleteIdea(id: string): void {
		this.ideaMap.delete(id);
	}

	moveIdea(id: string, clusterId: string | null): void {
		const m = this.ideaMap.get(id);
		if (m && (m.get('clusterId') ?? null) !== clusterId) m.set('clusterId', clusterId);
	}

	addCluster(questionId: string, rawTitle: string): string {
		const id = newId();
		this.doc.transact(() => {
			const m = new Y.Map<unknown>();
			this.clusterMap.set(id, m);
			m.set('title', rawTitle.trim().slice(0, MAX_TITLE_CHARS));
			m.set('questionId', questionId);
			m.set('createdAt', Date.now());
		});
		this.freshClusterId = id;
		return id;
	}

	renameCluster(id: string, raw: string): void {
		const title = raw.trim().slice(0, MAX_TITLE_CHARS);
		const m = this.clusterMap.get(id);
		if (m && title && m.get('title') !== title) m.set('title', title);
	}

	/** Deletes the cluster; its ideas become ungrouped (one transaction, one update). */
	ungroup(clusterId: string): void {
		this.doc.transact(() => {
			this.ideaMap.forEach((m) => {
				if (m.get('clusterId') === clusterId) m.set('clusterId', null);
			});
			this.clusterMap.delete(clusterId);
		});
	}

	/** Presence: which lane (question) this person is working in. */
	setFocus(questionId: string | null): void {
		if (this.focus === questionId) return;
		this.focus = questionId;
		this.provider.awareness.setLocalStateField('focus', questionId);
		this.refreshPresence();
	}

	private closeProvider(): void {
		this.unfollow();
		this.provider.awareness.setLocalState(null);
		this.provider.destroy();
	}

	private teardown(): void {
		clearTimeout(this.redrawTimer);
		this.redrawTimer = undefined;
		this.acks.destroy();
		this.closeProvider();
		this.doc.destroy();
		this.local?.destroy();
	}

	destroy(): void {
		removeEventListener('offline', this.onOffline);
		removeEventListener('online', this.onOnline);
		this.teardown();
	}
}
