/** Who is on the board now, from y-protocols awareness states (the server fills in `user`). */
import type { Me } from '../api';

export interface PresenceUser {
	id: string;
	name: string;
	sector: string | null;
	role: string;
	/** The question (lane) this person is working in, if any. */
	focus: string | null;
	self: boolean;
}

interface AwarenessUser {
	id?: unknown;
	name?: unknown;
	sector?: unknown;
	role?: unknown;
}

/** One entry per person (several tabs collapse into one), yourself first, then by name. */
export function readPresence(
	states: Map<number, Record<string, unknown>>,
	ownClientId: number,
	me: Me,
	myFocus: string | null
): PresenceUser[] {
	const people = new Map<string, PresenceUser>();
	people.set(me.id, { id: me.id, name: me.name, sector: me.sector, role: me.role, focus: myFocus, self: true });
	for (const [clientId, state] of states) {
		if (clientId === ownClientId || !state) continue;
		const user = state.user as AwarenessUser | undefined;
		if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
		const focus = typeof state.focus === 'string' ? state.focus : null;
		const seen = people.get(user.id);
		if (seen) {
			seen.focus ??= focus;
			continue;
		}
		people.set(user.id, {
			id: user.id,
			name: user.name,
			sector: typeof user.sector === 'string' ? user.sector : null,
			role: typeof user.role === 'string' ? user.role : 'participant',
			focus,
			self: false
		});
	}
	return [...people.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'es'));
}

const graphemes = new Intl.Segmenter('es', { granularity: 'grapheme' });
/** Whole characters as people see them: an emoji, a flag or an accented letter is one, never half. */
const chars = (word: string) => Array.from(graphemes.segment(word), (g) => g.segment);

/** "Ana Pérez" → "AP", "Pía 🌸" → "P🌸", "Ana" → "AN". */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	const letters = parts.length > 1 ? [chars(parts[0]!)[0], chars(parts.at(-1)!)[0]] : chars(parts[0] ?? '?').slice(0, 2);
	return letters.join('').toUpperCase();
}
