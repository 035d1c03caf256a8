/**
 * The copy of a board doc (or a private doc) kept on this device, in IndexedDB (y-indexeddb), so
 * a page reloaded offline shows the board at once and keeps what was written since the last sync.
 * One database per doc and person: `minga:<CODE>:<doc name>:<person id>`, so two people on a
 * shared device never share one, and "salir y borrar" finds every database of a workshop.
 */
import type * as Y from 'yjs';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';

/** How long a doc waits for its stored copy before it connects anyway (a stuck or disabled IndexedDB). */
export const LOAD_WAIT_MS = 3_000;

const PREFIX = 'minga:';
const SYNCED_KEY = 'synced';

export const localDocName = (workshopCode: string, docName: string, personId: string) =>
	`${PREFIX}${workshopCode.toUpperCase()}:${docName}:${personId}`;

/**
 * Marks, in localStorage, the docs of which this device may hold a stored copy: read at once,
 * where IndexedDB answers only after opening, so a doc never stored here (a first visit) need not
 * wait for IndexedDB before it connects.
 */
const copyMark = (name: string) => `${name}:stored`;

function readMark(name: string): boolean {
	try {
		return localStorage.getItem(copyMark(name)) !== null;
	} catch {
		return true; // no localStorage: assume a copy may be there, and wait for IndexedDB as before
	}
}

function writeMark(name: string, on: boolean): void {
	try {
		if (on) localStorage.setItem(copyMark(name), '1');
		else localStorage.removeItem(copyMark(name));
	} catch {
		// Without localStorage every visit waits for IndexedDB (readMark answers true).
	}
}

export class LocalDoc {
	/**
	 * Whether this device may hold a stored copy of the doc (false: it has never opened one, so
	 * there is nothing to wait for before connecting).
	 */
	readonly mayHoldCopy: boolean;
	/**
	 * Resolves once the stored copy is in the doc, or it is clear there is none to wait for: true
	 * if the copy is of a doc that had synced with the server (even an empty one). Never rejects.
	 */
	readonly ready: Promise<boolean>;
	private readonly persistence: IndexeddbPersistence | null;

	constructor(
		readonly name: string,
		doc: Y.Doc
	) {
		let persistence: IndexeddbPersistence | null = null;
		try {
			persistence = new IndexeddbPersistence(name, doc);
		} catch {
			// No IndexedDB here (policy, old browser): the doc lives in memory only, as before.
		}
		this.persistence = persistence;
		this.mayHoldCopy = readMark(name);
		// From the moment it opens, IndexedDB stores every change of the doc (offline edits too).
		persistence?._db.then(() => writeMark(name, true), () => {});
		const opened = persistence?._db.then(
			() => persistence!.whenSynced.then(() => persistence!.get(SYNCED_KEY).then((v) => v === 1)),
			() => false
		);
		const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), LOAD_WAIT_MS));
		this.ready = Promise.race([opened ?? Promise.resolve(false), timeout]).catch(() => false);
		// An IndexedDB that fails to open rejects a promise nobody else awaits.
		persistence?._db.catch(() => {});
	}

	/** The doc has synced with the server: a later visit may show its copy before connecting. */
	markSynced(): void {
		void this.persistence?.set(SYNCED_KEY, 1).catch(() => {});
	}

	/** Stops storing and deletes the stored copy (after a refusal: it must not come back on reload). */
	async clear(): Promise<void> {
		if (!this.persistence) return;
		await this.persistence.destroy().catch(() => {});
		await clearDocument(this.name).catch(() => {});
		writeMark(this.name, false);
	}

	/** Stops storing; the stored copy stays for the next visit. */
	destroy(): void {
		void this.persistence?.destroy().catch(() => {});
	}
}

/** Deletes the stored docs of a workshop on this device (all its boards; of everyone, or of one person). */
export async function clearWorkshopDocs(workshopCode: string, personId?: string): Promise<void> {
	const prefix = `${PREFIX}${workshopCode.toUpperCase()}:`;
	const dbs = (await indexedDB.databases?.().catch(() => [])) ?? [];
	const names = dbs.map((d) => d.name ?? '').filter((n) => n.startsWith(prefix) && (!personId || n.endsWith(`:${personId}`)));
	await Promise.all(names.map((n) => clearDocument(n).catch(() => {})));
	try {
		for (const key of Object.keys(localStorage)) {
			if (key.startsWith(prefix) && key.endsWith(copyMark(personId ? `:${personId}` : ''))) localStorage.removeItem(key);
		}
	} catch {
		// No localStorage: no marks were written.
	}
}
