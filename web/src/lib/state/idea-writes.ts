/**
 * Writing an idea the way the board contract (docs/api.md) and the server's rules expect: one
 * transaction, every field, signed with the writer's own id, name and sector. Used for the board
 * and for a participant's private ideation doc alike.
 */
import * as Y from 'yjs';
import type { Me } from '$lib/api';
import { newId } from '$lib/sync/ids';
import { MAX_IDEA_CHARS } from '../../../../contract/board-document';

/** Characters an idea may have (the server refuses more). */
export { MAX_IDEA_CHARS };

/** Adds an idea to `ideas` (a doc's `ideas` map); returns its id, or null for blank text. */
export function writeIdea(ideas: Y.Map<Y.Map<unknown>>, me: Me, questionId: string, raw: string): string | null {
	const text = raw.trim().slice(0, MAX_IDEA_CHARS);
	if (!text || !ideas.doc) return null;
	const id = newId();
	ideas.doc.transact(() => {
		const m = new Y.Map<unknown>();
		ideas.set(id, m);
		m.set('text', text);
		m.set('questionId', questionId);
		m.set('clusterId', null);
		m.set('authorId', me.id);
		m.set('authorName', me.name);
		m.set('sector', me.sector);
		m.set('createdAt', Date.now());
	});
	return id;
}

/** Replaces an idea's text, if it changed and is not blank. */
export function rewriteIdea(ideas: Y.Map<Y.Map<unknown>>, id: string, raw: string): void {
	const text = raw.trim().slice(0, MAX_IDEA_CHARS);
	const m = ideas.get(id);
	if (m && text && m.get('text') !== text) m.set('text', text);
}
