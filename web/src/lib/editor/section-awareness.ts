/**
 * The board has one awareness (presence) for all eight proposal editors, but y-quill's binding
 * assumes one editor per awareness: it would show a collaborator's cursor in every section, and
 * clear our own cursor whenever text arrives in a section we are not in. This view of the shared
 * awareness tags our cursor with its section and shows each binding only the cursors of its own.
 */
import type { Awareness } from 'y-protocols/awareness';

type State = Record<string, unknown>;
type Listener = (...args: never[]) => void;

interface Cursor {
	section?: unknown;
	[k: string]: unknown;
}

export class SectionAwareness {
	constructor(
		private readonly awareness: Awareness,
		private readonly section: string,
		/** The cursor's colour and name for a collaborator (the server sets `user`: id, name, sector, role). */
		private readonly userOf: (user: unknown) => { name: string; color: string }
	) {}

	private here(cursor: unknown): boolean {
		return !!cursor && (cursor as Cursor).section === this.section;
	}

	/** Whether a collaborator (not this page) has a cursor in this section. */
	hasCursorHere(clientId: number): boolean {
		return clientId !== this.awareness.clientID && this.here(this.awareness.getStates().get(clientId)?.cursor);
	}

	getStates(): Map<number, State> {
		const states = new Map<number, State>();
		for (const [id, s] of this.awareness.getStates()) {
			states.set(id, { ...s, user: this.userOf(s.user), cursor: this.here(s.cursor) ? s.cursor : null });
		}
		return states;
	}

	getLocalState(): State | null {
		const s = this.awareness.getLocalState();
		return s && !this.here(s.cursor) ? { ...s, cursor: null } : s;
	}

	setLocalStateField(field: string, value: unknown): void {
		if (field !== 'cursor') return this.awareness.setLocalStateField(field, value);
		// Leaving this section clears the cursor only if it is still ours (not already in another section).
		if (value === null) {
			if (this.here(this.awareness.getLocalState()?.cursor)) this.awareness.setLocalStateField('cursor', null);
			return;
		}
		this.awareness.setLocalStateField('cursor', { ...(value as object), section: this.section });
	}

	on(event: string, listener: Listener): void {
		this.awareness.on(event, listener);
	}

	off(event: string, listener: Listener): void {
		this.awareness.off(event, listener);
	}

	/** For y-quill's constructor, which types its parameter as the full Awareness. */
	asAwareness(): Awareness {
		return this as unknown as Awareness;
	}
}
