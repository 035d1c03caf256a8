/** The phases of a session as the UI names and explains them (docs/api.md, per-phase write rules). */
import type { I18n, MessageKey } from '$lib/i18n/index.svelte';
import type { Action, Block, BoardSession } from '$lib/state/board-session.svelte';
import type { Phase, SessionState } from '$lib/sync/events';

export { nextPhase, SESSION_PHASES } from '../../../../contract/phases';

export const phaseName = (i18n: I18n, phase: Phase) => i18n.t(`phase_${phase}` as MessageKey);

/** One sentence: what to do now (`room`: said to the whole room, as on the projector). */
export function doNowText(i18n: I18n, state: Pick<SessionState, 'phase' | 'privateIdeation' | 'voteBudget' | 'round'>, room = false): string {
	if (state.phase === 'ideacion' && state.privateIdeation) return i18n.t(room ? 'doNow_ideacionPrivateRoom' : 'doNow_ideacionPrivate');
	if (state.phase === 'votacion' && state.round?.blind && !state.round.revealed) return i18n.t('doNow_votacionBlind', { n: state.voteBudget });
	return i18n.t(`doNow_${state.phase}` as MessageKey, { n: state.voteBudget });
}

/** Why `action` is not possible now, in words (the reason shown next to a disabled control). */
export function blockText(i18n: I18n, block: Block, action: Action, phase: Phase): string {
	if (block === 'locked') return i18n.t('blockedLocked');
	if (block === 'private') return i18n.t('blockedPrivate');
	return i18n.t(`blockedPhase_${action}` as MessageKey, { phase: phaseName(i18n, phase) });
}

/** The id of the (visually hidden) element that says why `action` is disabled: for aria-describedby. */
export const whyId = (action: Action) => `why-${action}`;

export interface Gate {
	/** Not allowed now (the control stays on screen, disabled). */
	blocked: boolean;
	/** Why, in words, for a tooltip or visible text; null when allowed. */
	reason: string | null;
	/** For aria-describedby: the board's hidden reason element, when blocked. */
	describedBy: string | undefined;
}

/** Everything a control needs to be disabled with a reason instead of hidden. */
export function gate(i18n: I18n, session: BoardSession, action: Action): Gate {
	const block = session.block(action);
	if (!block || !session.state) return { blocked: false, reason: null, describedBy: undefined };
	return { blocked: true, reason: blockText(i18n, block, action, session.state.phase), describedBy: whyId(action) };
}
