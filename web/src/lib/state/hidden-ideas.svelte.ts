/**
 * Facilitators only: the ideas they hid, from the board's hidden doc (`/yjs/<boardId>:hidden`),
 * which the server alone writes and participants cannot open. The board shows them dimmed, in
 * their lanes, with "Mostrar" to bring them back.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { TERMINAL_CODES } from '$lib/sync/close-codes';
import { readIdea, type Idea } from './board-model';

export class HiddenIdeas {
	ideas = $state.raw<Idea[]>([]);
	/** Called after every change (the board merges hidden ideas into its lanes). */
	onChange: () => void = () => {};
	private readonly doc = new Y.Doc();
	private readonly provider: WebsocketProvider;

	constructor(boardId: string, token: string) {
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		this.provider = new WebsocketProvider(wsBase, `${boardId}:hidden`, this.doc, {
			params: { token },
			disableBc: true,
			// A lost token is the board's to report (its own socket closes too).
			shouldReconnect: (event) => !TERMINAL_CODES.has(event.code)
		});
		this.doc.getMap('ideas').observeDeep(() => this.refresh());
	}

	private refresh(): void {
		const ideas: Idea[] = [];
		this.doc.getMap<Y.Map<unknown>>('ideas').forEach((m, id) => {
			const idea = readIdea(id, m);
			if (idea) ideas.push({ ...idea, hidden: true });
		});
		this.ideas = ideas;
		this.onChange();
	}

	destroy(): void {
		this.provider.destroy();
		this.doc.destroy();
	}
}
