/**
 * A button disabled while its command is in flight loses the keyboard focus (browsers move it to
 * the body), and a button the new state no longer shows takes it away for good. This puts it back.
 */
import { tick } from 'svelte';

/**
 * Runs `action`, then returns the focus to the element that had it, or to `fallback()` when that
 * element is gone or still disabled. Does nothing if the user has moved the focus meanwhile.
 */
export async function keepFocus<T>(action: () => Promise<T>, fallback?: () => HTMLElement | null | undefined): Promise<T> {
	const before = document.activeElement;
	try {
		return await action();
	} finally {
		await tick();
		const now = document.activeElement;
		if (!now || now === document.body) {
			const usable = before instanceof HTMLElement && before.isConnected && !before.matches(':disabled');
			(usable ? before : fallback?.())?.focus();
		}
	}
}
