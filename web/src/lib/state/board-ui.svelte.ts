/**
 * What the board's cards share instead of each carrying its own: one actions menu for the whole
 * board (a card has a single "Acciones" button), and which card is being edited or confirmed.
 */
import { wakeFor } from '$lib/near-viewport';
import type { Idea } from './board-model';

/** Cards drawn per frame while a board is first shown (~25 ms of work on a mid-range laptop). */
export const REVEAL_PER_FRAME = 150;

export type Confirming = { ideaId: string; kind: 'delete' | 'remove' };

export class BoardUi {
	/** The idea whose actions menu is open, and the button that opened it (focus returns there). */
	menu = $state.raw<{ idea: Idea; anchor: HTMLElement } | null>(null);
	/** The idea whose text is being edited in place. */
	editing = $state<string | null>(null);
	confirming = $state.raw<Confirming | null>(null);

	/**
	 * Cards drawn so far, in board order (lane by lane, groups then ungrouped): a big board is drawn
	 * in slices of REVEAL_PER_FRAME so the first lanes show at once and typing stays responsive;
	 * everything is in the page (for find-in-page and screen readers) within about a second.
	 */
	revealed = $state(REVEAL_PER_FRAME);

	/** Draws the rest of the board, a slice per frame, until `total()` cards are out; then everything. */
	reveal(total: () => number): void {
		const step = () => {
			if (this.revealed === Infinity) return;
			if (this.revealed >= total()) this.revealed = Infinity;
			else {
				this.revealed += REVEAL_PER_FRAME;
				requestAnimationFrame(step);
			}
		};
		requestAnimationFrame(step);
	}

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
 * between the board and the hidden doc, is a new element a moment later, and one in a light block
 * (IdeaBlock) is drawn in full when asked. Gives up after about two seconds, or as soon as the
 * person has put the focus somewhere else.
 */
export function focusWhenDrawn(id: string, frames = 120): void {
	const active = document.activeElement;
	if (active && active !== document.body && active.isConnected && active.id !== id) return;
	const el = document.getElementById(id);
	if (el) el.focus();
	else if (frames > 0) {
		wakeFor(id);
		requestAnimationFrame(() => focusWhenDrawn(id, frames - 1));
	}
}
