/** Everything a board's components share, provided once by the board page. */
import { createContext } from 'svelte';
import type { BoardInfo, Me } from '$lib/api';
import type { Announcer } from './announcer.svelte';
import type { BoardDoc } from './board-doc.svelte';
import type { BoardSession } from './board-session.svelte';
import type { BoardUi } from './board-ui.svelte';
import type { BoardView } from './board-view.svelte';
import type { DragController } from './drag.svelte';
import type { PrivateIdeas } from './private-ideas.svelte';

export interface BoardContext {
	info: BoardInfo;
	me: Me;
	/** This person's token, for the board's REST calls (Authorization header). */
	token: string;
	doc: BoardDoc;
	session: BoardSession;
	drag: DragController;
	announcer: Announcer;
	/** This participant's private ideas while the facilitator runs private ideation. */
	privateIdeas: PrivateIdeas;
	/** The shared actions menu, and which card is being edited or confirmed. */
	ui: BoardUi;
	/** This person's search, filters, compact view and collapsed questions. */
	view: BoardView;
}

export const [useBoard, provideBoard] = createContext<BoardContext>();

/**
 * Dots the current person may still give. The doc's votes map is live (other tabs, withdrawals);
 * the last acknowledged `remaining` covers the moments before the first sync.
 */
export function votesLeft(ctx: Pick<BoardContext, 'doc' | 'session'>): number {
	const { doc, session } = ctx;
	if (session.ballotsHidden) return Math.max(0, session.remaining ?? session.budget ?? 0);
	const left = doc.synced && session.budget !== null ? session.budget - doc.mySpent : (session.remaining ?? 0);
	return Math.max(0, left);
}
