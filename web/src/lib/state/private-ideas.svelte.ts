/**
 * Private ideation: while the facilitator runs it, a participant's new ideas go into a personal
 * doc (`/yjs/<boardId>:private:<participantId>`) that only its owner and facilitators can open.
 * On `reveal` the server moves them onto the board and empties this doc. Opened and closed by
 * the board as the session enters and leaves private ideation.
 */
import * as Y from 'yjs';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import type { Me } from '$lib/api';
import { followCloseCodes } from '$lib/sync/close-codes';
import type { ErrorBody } from '$lib/sync/events';
import { rewriteIdea, writeIdea } from './idea-writes';
import { readIdea, type Idea } from './board-model';
import { CARRIED, carryOver, unsentIdeas, type UnsentIdea } from '$lib/sync/rebase';
import { Acks } from '$lib/sync/acks';
import { LocalDoc, localDocName } from '$lib/offline/local-doc';

export interface PrivateIdeasEvents {
	refused(error: ErrorBody): void;
	rejoin(code: number): void;
	/** Ideas refused even when sent again alone (private ideation ended meanwhile): offer them back. */
	unsent(ideas: UnsentIdea[]): void;
}

interface Connection {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Holds changes made here; without any, a refusal is about y-websocket's empty sync reply (see BoardDoc). */
	dirty: boolean;
	acks: Acks;
	/** The copy on this device (see BoardDoc): none between a refusal and the fresh sync. */
	local: LocalDoc | null;
	unfollow(): void;
}

export class PrivateIdeas {
	/** Oldest first, like a notebook. */
	ideas = $state.raw<Idea[]>([]);
	synced = $state(false);
	/** Ideas written here that the server is not known to hold yet (see sync/acks.ts). */
	unsynced = $state(false);
	private conn = $state.raw<Connection | null>(null);
	/** Signatures of the changes carried over in the last recovery (see BoardDoc). */
	private carried: ReadonlySet<string> = new Set(); // eslint-disable-line svelte/prefer-svelte-reactivity -- plain data, not state
	private editedSinceCarry = true;
	/** The stored copy of a refused doc, deleted once its carry-over is done. */
	private stale: LocalDoc | null = null;
	// As on the board: the browser knows at once when the network is gone.
	private onOnline = () => this.conn?.provider.connect();
	private onOffline = () => this.conn?.provider.disconnect();

	constructor(
		readonly boardId: string,
		readonly me: Me,
		private readonly token: string,
		private readonly events: PrivateIdeasEvents
	) {}

	get open(): boolean {
		return this.conn !== null;
	}

	/** Opens the private doc (idempotent); `carryFrom`: a refused doc whose pending ideas move over. */
	connect(carryFrom: Y.Doc | null = null): void {
		if (this.conn) return;
		const doc = new Y.Doc();
		const name = `${this.boardId}:private:${this.me.id}`;
		const localName = localDocName(this.me.workshopCode, name, this.me.id);
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		const provider = new WebsocketProvider(wsBase, name, doc, {
			params: { token: this.token },
			// Same reason as the board: cross-tab sync would bypass the server's checks.
			disableBc: true,
			connect: false
		});
		const conn: Connection = {
			doc,
			provider,
			dirty: false,
			acks: new Acks(doc, provider, (pending) => (this.unsynced = pending)),
			local: carryFrom ? null : new LocalDoc(localName, doc),
			unfollow: followCloseCodes(provider, { rejoin: (code) => this.events.rejoin(code) })
		};
		this.unsynced = false;
		// As on the board: the stored copy first, then the server (after a refusal, or on a first
		// visit, when there is no stored copy to wait for: the server first).
		const waitFor = conn.local?.mayHoldCopy ? conn.local.ready : Promise.resolve(false);
		void waitFor.then((stored) => {
			if (this.conn !== conn) return;
			if (stored) {
				this.refresh();
				this.synced = true;
			}
			if (navigator.onLine) provider.connect();
		});
		addEventListener('online', this.onOnline);
		addEventListener('offline', this.onOffline);
		provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
			authProtocol.readAuthMessage(decoder, doc, (_y, reason) => conn.dirty && this.onRefused(reason));
		};
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === provider) return;
			conn.dirty = true;
			if (origin !== CARRIED) this.editedSinceCarry = true;
		});
		provider.on('sync', (synced) => {
			if (synced && carryFrom && this.conn === conn) {
				const { carried, dropped } = carryOver(carryFrom, doc, this.carried);
				carryFrom.destroy();
				carryFrom = null;
				// Only now is the fresh doc stored (the refused one must not come back on reload).
				void (this.stale?.clear() ?? Promise.resolve()).then(() => {
					if (this.conn === conn && !conn.local) conn.local = new LocalDoc(localName, doc);
				});
				this.stale = null;
				this.carried = carried;
				this.editedSinceCarry = false;
				const back = unsentIdeas(dropped, this.me.id);
				if (back.length > 0) this.events.unsent(back);
			}
			if (synced) this.refresh();
			if (synced) conn.local?.markSynced();
			this.synced = this.synced || synced;
		});
		doc.getMap('ideas').observeDeep(() => this.refresh());
		this.conn = conn;
	}

	/** Closes the private doc and forgets what it showed (idempotent); `keepDoc` leaves the doc to the caller. */
	close(keepDoc = false): void {
		if (!this.conn) return;
		removeEventListener('online', this.onOnline);
		removeEventListener('offline', this.onOffline);
		this.conn.unfollow();
		this.conn.acks.destroy();
		this.conn.provider.destroy();
		if (keepDoc) this.stale = this.conn.local;
		else {
			this.conn.doc.destroy();
			this.conn.local?.destroy();
		}
		this.conn = null;
		this.unsynced = false;
		this.ideas = [];
		this.synced = false;
	}

	private onRefused(reason: string): void {
		let error: ErrorBody;
		try {
			error = JSON.parse(reason) as ErrorBody;
		} catch {
			error = { code: 'REFUSED', message: reason, messageEn: reason };
		}
		this.conn?.acks.refuse();
		if (this.editedSinceCarry) this.events.refused(error);
		// The local doc holds the refused change: open a fresh one and carry the rest over.
		setTimeout(() => {
			const refused = this.conn?.doc ?? null;
			if (!refused) return;
			this.close(true);
			this.connect(refused);
		}, 0);
	}

	private get map(): Y.Map<Y.Map<unknown>> | null {
		return this.conn?.doc.getMap<Y.Map<unknown>>('ideas') ?? null;
	}

	private refresh(): void {
		const ideas: Idea[] = [];
		this.map?.forEach((m, id) => {
			const idea = readIdea(id, m);
			if (idea) ideas.push(idea);
		});
		this.ideas = ideas.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
	}

	add(questionId: string, raw: string): string | null {
		return this.map ? writeIdea(this.map, this.me, questionId, raw) : null;
	}

	edit(id: string, raw: string): void {
		if (this.map) rewriteIdea(this.map, id, raw);
	}

	delete(id: string): void {
		this.map?.delete(id);
	}
}
