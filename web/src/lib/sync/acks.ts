/**
 * Whether the server holds every change made on this page (unsynced work warns before leaving).
 *
 * y-websocket has no acknowledgement, and `provider.synced` only says the first sync reply came.
 * But a connection is ordered: the server judges each update as it arrives (a refusal comes back
 * as an auth message) and answers a sync step 1 only after storing what came before it. So after
 * local changes this sends a sync step 1; its reply, with no refusal in between, means the server
 * stored every change made before it was sent. The server bounds sync step 1s per connection
 * (server/src/sync/limits.ts): this keeps its own, smaller count of that budget.
 */
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { messageSync } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { SYNC_STEP1_BURST, SYNC_STEP1_INTERVAL_MS } from '../../../../server/src/sync/limits';

/** The server's budget for a connection, less the provider's own step 1 (the server refills faster). */
const ASKS = SYNC_STEP1_BURST - 1;
/** A little slower than the server refills it, for clocks and latency. */
const REFILL_MS = SYNC_STEP1_INTERVAL_MS * 1.2;

export class Acks {
	/** Local changes counted so far, and how many of them the server is known to hold. */
	private made = 0;
	private held = 0;
	/** What each outstanding sync step 1 will confirm, in send order (null: the provider's own). */
	private waiting: (number | null)[] = [];
	/** Asks left in this connection's budget, as of `countedAt`. */
	private asks = ASKS;
	private countedAt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private refused = false;

	constructor(
		private readonly doc: Y.Doc,
		private readonly provider: WebsocketProvider,
		private readonly onChange: (pending: boolean) => void
	) {
		const handle = provider.messageHandlers[messageSync]!;
		provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
			const kind = decoding.readVarUint(decoding.clone(decoder));
			handle(encoder, decoder, p, emitSynced, type);
			if (kind === syncProtocol.messageYjsSyncStep1 && this.pending) setTimeout(() => this.ask(), 0); // after our reply to it
			if (kind === syncProtocol.messageYjsSyncStep2) this.answered();
		};
		provider.on('status', this.onStatus);
		doc.on('update', this.onUpdate);
	}

	get pending(): boolean {
		return this.held < this.made;
	}

	/** The server refused a change: nothing here is confirmed any more (the doc is being replaced). */
	refuse(): void {
		this.refused = true;
	}

	private onStatus = ({ status }: { status: string }) => {
		// A new socket: replies to the old one's questions never come; the provider asks once now.
		this.waiting = status === 'connected' ? [null] : [];
		if (status === 'connected') {
			this.asks = ASKS;
			this.countedAt = performance.now();
		}
	};

	private onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin === this.provider) return;
		const was = this.pending;
		this.made++;
		if (!was) this.onChange(true);
		this.schedule();
	};

	private schedule(): void {
		if (this.timer !== null || !this.provider.wsconnected) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.ask();
		}, this.wait());
	}

	private ask(): void {
		const ws = this.provider.ws;
		if (!this.pending || this.refused || !this.provider.wsconnected || !ws) return;
		if (this.waiting.some((w) => w === this.made)) return;
		if (this.wait() > 0) return this.schedule();
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, messageSync);
		syncProtocol.writeSyncStep1(encoder, this.doc);
		ws.send(encoding.toUint8Array(encoder));
		this.waiting.push(this.made);
		this.asks -= 1;
	}

	/** How long until the budget allows an ask (0: now). */
	private wait(): number {
		const now = performance.now();
		this.asks = Math.min(ASKS, this.asks + (now - this.countedAt) / REFILL_MS);
		this.countedAt = now;
		return this.asks >= 1 ? 0 : (1 - this.asks) * REFILL_MS;
	}

	private answered(): void {
		const confirms = this.waiting.shift();
		if (confirms == null || this.refused || confirms <= this.held) return;
		this.held = confirms;
		if (!this.pending) this.onChange(false);
		else this.schedule();
	}

	destroy(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.provider.off('status', this.onStatus);
		this.doc.off('update', this.onUpdate);
	}
}
