/**
 * What an idea's own controls do, shared by the lanes' cards (IdeaCard) and the list view
 * (ListIdea): finishing an edit, the delete / remove confirmation, and where the keyboard goes
 * after each. Both views give an idea's "Acciones" button the same id (actionsId), and only one
 * view is on the page at a time, so the focus rules are the same.
 */
import { tick } from 'svelte';
import type { I18n } from '$lib/i18n/index.svelte';
import type { BoardContext } from './board-context';
import type { Idea } from './board-model';
import { actionsId } from './board-ui.svelte';

type Board = Pick<BoardContext, 'doc' | 'session' | 'announcer' | 'ui'>;

export function ideaActions(board: Board, i18n: I18n) {
	const { doc, session, announcer, ui } = board;
	const focusActions = async (idea: Idea) => {
		await tick();
		document.getElementById(actionsId(idea.id))?.focus();
	};
	return {
		/** Saves the new text (none: cancelled) and gives the keyboard back to the idea's actions. */
		finishEdit(idea: Idea, text?: string): void {
			if (text !== undefined) doc.editIdea(idea.id, text);
			ui.editing = null;
			void focusActions(idea);
		},
		/** "No" to a delete or remove question. */
		stopAsking(idea: Idea): void {
			ui.confirming = null;
			void focusActions(idea);
		},
		/** "Yes": deletes (the author) or removes (a facilitator); the keyboard goes to the question's new-idea field. */
		async confirm(idea: Idea): Promise<void> {
			const kind = ui.confirming?.ideaId === idea.id ? ui.confirming.kind : null;
			if (kind === 'delete') {
				doc.deleteIdea(idea.id);
				announcer.say(i18n.t('announceDeleted'));
			} else if (kind === 'remove') {
				const res = await session.command({ action: 'remove', ideaId: idea.id }, `remove-${idea.id}`);
				if (!res.ok) return;
				announcer.say(i18n.t('announceRemovedIdea'));
			} else return;
			ui.confirming = null;
			document.getElementById(`new-${idea.questionId}`)?.focus();
		},
		/** The board's one actions menu, opened for this idea from its button (click, or ↓/↑ on it). */
		openMenu(idea: Idea, e: MouseEvent | KeyboardEvent): void {
			if (e instanceof KeyboardEvent && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
			e.preventDefault();
			ui.openMenu(idea, e.currentTarget as HTMLElement);
		}
	};
}

/** A question's groups: "+ Nuevo grupo" (its title opens ready to type) and "Desagrupar". */
export function groupActions(board: Pick<BoardContext, 'doc' | 'announcer'>, i18n: I18n) {
	const { doc, announcer } = board;
	return {
		newGroup(questionId: string): void {
			doc.addCluster(questionId, i18n.t('defaultGroupTitle'));
			announcer.say(i18n.t('announceGroupCreated'));
		},
		/** Its ideas go back to "Sin grupo"; the keyboard goes to the question's new-idea field. */
		ungroup(cluster: { id: string; questionId: string }): void {
			doc.ungroup(cluster.id);
			announcer.say(i18n.t('announceUngrouped'));
			document.getElementById(`new-${cluster.questionId}`)?.focus();
		}
	};
}
