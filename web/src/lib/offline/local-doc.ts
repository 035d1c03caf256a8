/**
 * The copy of a board doc (or a private doc) kept on this device, in IndexedDB (y-indexeddb), so
 * a page reloaded offline shows the board at once and keeps what was written since the last sync.
 * One database per doc and person: `minga:<CODE>:<doc name>:<person id>`, so two people on a
 * shared device never share one, and "salir y borrar" finds every database of a workshop.
 */
import type * as Y from 'yjs';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';

/** How long a doc waits for its stored copy before it connects anyway (a stuck or disabled IndexedDB). */
const LOAD_WAIT_MS = 3_000;

const PREFIX = 'minga:';
const SYNCED_KEY = 'synced';

export const localDocName = (workshopCode: string, docName: string, personId: string) =>
	`${PREFIX}${workshopCode.toUpperCase()}:${docName}:${personId}`;

export class LocalDoc {
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
}
