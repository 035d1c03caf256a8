/** A session's plan as the facilitator sets it before `start` (docs/api.md, `session:command`). */
import type { PhasePlan } from '$lib/sync/events';

export interface StartPlan {
	/** Minutes per phase; 0: no countdown. */
	plan: PhasePlan;
	privateIdeation: boolean;
	/** Move to the next phase by itself when the time is up (else "Tiempo" and the facilitator decides). */
	autoAdvance: boolean;
	/** Dots per participant, 1–20. */
	voteBudget: number;
	/** The voting phase hides totals until the facilitator reveals them. */
	blindVoting: boolean;
	/** The voting phase continues the open board's round (its dots count) instead of a fresh one. */
	keepOpenVotes: boolean;
}

/** The defaults: 10/8/5/15 minutes, 5 votes. */
export const defaultPlan = (): StartPlan => ({
	plan: { ideacion: 10, agrupacion: 8, votacion: 5, discusion: 15 },
	privateIdeation: false,
	autoAdvance: false,
	voteBudget: 5,
	blindVoting: false,
	keepOpenVotes: false
});

export const PLANNED_PHASES = ['ideacion', 'agrupacion', 'votacion', 'discusion'] as const satisfies readonly (keyof PhasePlan)[];

/** Bounds the server's schema checks (minutes 0–240, votes 1–20). */
export const MAX_PHASE_MINUTES = 240;
export const MIN_VOTES = 1;
export const MAX_VOTES = 20;

const whole = (v: unknown, min: number, max: number, fallback: number) => {
	const n = Math.round(Number(v));
	return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** The `start` command for a plan, with every number inside the server's bounds. */
export function startCommand(p: StartPlan) {
	const plan = Object.fromEntries(PLANNED_PHASES.map((k) => [k, whole(p.plan[k], 0, MAX_PHASE_MINUTES, 0)])) as PhasePlan;
	return {
		action: 'start' as const,
		plan,
		privateIdeation: p.privateIdeation,
		autoAdvance: p.autoAdvance,
		voteBudget: whole(p.voteBudget, MIN_VOTES, MAX_VOTES, 5),
		blindVoting: p.blindVoting,
		// A blind round always starts afresh (the server refuses both).
		keepOpenVotes: p.keepOpenVotes && !p.blindVoting
	};
}
