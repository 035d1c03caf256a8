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
	unfollow(): void;
}

export class PrivateIdeas {
	/** Oldest first, like a notebook. */
	ideas = $state.raw<Idea[]>([]);
	synced = $state(false);
	private conn = $state.raw<Connection | null>(null);
	/** Signatures of the changes carried over in the last recovery (see BoardDoc). */
	private carried: ReadonlySet<string> = new Set(); // eslint-disable-line svelte/prefer-svelte-reactivity -- plain data, not state
	private editedSinceCarry = true;

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
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		const provider = new WebsocketProvider(wsBase, `${this.boardId}:private:${this.me.id}`, doc, {
			params: { token: this.token },
			// Same reason as the board: cross-tab sync would bypass the server's checks.
			disableBc: true
		});
		const conn: Connection = { doc, provider, dirty: false, unfollow: followCloseCodes(provider, { rejoin: (code) => this.events.rejoin(code) }) };
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
				this.carried = carried;
				this.editedSinceCarry = false;
				const back = unsentIdeas(dropped, this.me.id);
				if (back.length > 0) this.events.unsent(back);
			}
			if (synced) this.refresh();
			this.synced = this.synced || synced;
		});
		doc.getMap('ideas').observeDeep(() => this.refresh());
		this.conn = conn;
	}

	/** Closes the private doc and forgets what it showed (idempotent); `keepDoc` leaves the doc to the caller. */
	close(keepDoc = false): void {
		if (!this.conn) return;
		this.conn.unfollow();
		this.conn.provider.destroy();
		if (!keepDoc) this.conn.doc.destroy();
		this.conn = null;
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
