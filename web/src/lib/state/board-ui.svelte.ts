/**
 * What the board's cards share instead of each carrying its own: one actions menu for the whole
 * board (a card has a single "Acciones" button), and which card is being edited or confirmed.
 */
import type { Idea } from './board-model';

export type Confirming = { ideaId: string; kind: 'delete' | 'remove' };

export class BoardUi {
	/** The idea whose actions menu is open, and the button that opened it (focus returns there). */
	menu = $state.raw<{ idea: Idea; anchor: HTMLElement } | null>(null);
	/** The idea whose text is being edited in place. */
	editing = $state<string | null>(null);
	confirming = $state.raw<Confirming | null>(null);

	openMenu(idea: Idea, anchor: HTMLElement): void {
		this.menu = { idea, anchor };
	}

	closeMenu(): void {
		this.menu = null;
	}
}

/** The id of a card's "Acciones" button, stable when the card moves between groups or docs. */
export const actionsId = (ideaId: string) => `actions-${ideaId}`;

/**
 * Focuses the element with this id once it is drawn: a card that moved to another group, or
 * between the board and the hidden doc, is a new element a moment later. Gives up after about
 * two seconds, or as soon as the person has put the focus somewhere else.
 */
export function focusWhenDrawn(id: string, frames = 120): void {
	const active = document.activeElement;
	if (active && active !== document.body && active.isConnected && active.id !== id) return;
	const el = document.getElementById(id);
	if (el) el.focus();
	else if (frames > 0) requestAnimationFrame(() => focusWhenDrawn(id, frames - 1));
}
