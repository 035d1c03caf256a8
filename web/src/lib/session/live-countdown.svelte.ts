/**
 * A countdown that re-renders when its shown second changes, for as long as something on screen
 * reads it (no timer runs for a countdown nobody looks at).
 */
import { createSubscriber } from 'svelte/reactivity';
import { formatClock, timeLeft, type CountdownState } from './countdown';

export interface CountdownSource {
	state: CountdownState | null;
	/** Server clock minus client clock (ms), measured when `state` arrived. */
	offset: number;
}

/** Wait past the boundary so `Math.ceil` in formatClock has moved on (ms). */
const TICK_SLACK_MS = 15;
/** Without a running countdown there is nothing to align to: check again after this (ms). */
const IDLE_TICK_MS = 1000;

export class LiveCountdown {
	readonly #source: () => CountdownSource;
	readonly #subscribe: () => void;

	constructor(source: () => CountdownSource) {
		this.#source = source;
		this.#subscribe = createSubscriber((update) => {
			let timer: ReturnType<typeof setTimeout>;
			// Aligned to the moment the shown second changes, so the clock never skips or stalls a second.
			const schedule = () => {
				const left = this.#compute();
				const delay = left !== null && left > 0 ? (left % 1000 || 1000) + TICK_SLACK_MS : IDLE_TICK_MS;
				timer = setTimeout(() => {
					update();
					schedule();
				}, delay);
			};
			schedule();
			return () => clearTimeout(timer);
		});
	}

	#compute(): number | null {
		const { state, offset } = this.#source();
		return state ? timeLeft(state, offset, Date.now()) : null;
	}

	/** Time left (ms) on the server's clock, or null when there is no countdown. */
	get leftMs(): number | null {
		this.#subscribe();
		return this.#compute();
	}

	/** "m:ss", or null when there is no countdown. */
	get text(): string | null {
		const left = this.leftMs;
		return left === null ? null : formatClock(left);
	}
}
