/**
 * Wakes a part of the page when it comes near the screen or the keyboard goes into it: the board's
 * blocks of cards (IdeaChunks) are drawn light until then. One IntersectionObserver serves the
 * whole page; a woken element is not watched again (a block never goes back to light).
 */
import type { Attachment } from 'svelte/attachments';

/** How far off screen a block wakes, px: a few wheel turns ahead of the reader, on any side. */
export const NEAR_MARGIN_PX = 1200;

/** Dispatched (bubbling) on an element inside a light block to draw that block now (see focusWhenDrawn). */
export const WAKE_EVENT = 'minga:wake';

const waiting = new Map<Element, () => void>();
let observer: IntersectionObserver | null = null;

function watch(node: Element, wake: () => void) {
	observer ??= new IntersectionObserver(
		(entries) => {
			for (const e of entries) if (e.isIntersecting) waiting.get(e.target)?.();
		},
		// scrollMargin: the same margin inside the lanes' own scroll box (rootMargin is only the window's).
		{ rootMargin: `${NEAR_MARGIN_PX}px`, scrollMargin: `${NEAR_MARGIN_PX}px` } as IntersectionObserverInit
	);
	waiting.set(node, wake);
	observer.observe(node);
}

function unwatch(node: Element) {
	if (!waiting.delete(node)) return;
	observer?.unobserve(node);
}

/** Calls `onNear` once: when the element comes within NEAR_MARGIN_PX of the screen, takes the focus, or gets WAKE_EVENT. */
export function wakeWhenNear(onNear: () => void): Attachment<HTMLElement> {
	return (node) => {
		let awake = false;
		const wake = () => {
			if (awake) return;
			awake = true;
			stop();
			onNear();
		};
		const stop = () => {
			unwatch(node);
			node.removeEventListener('focusin', wake);
			node.removeEventListener(WAKE_EVENT, wake);
		};
		watch(node, wake);
		node.addEventListener('focusin', wake);
		node.addEventListener(WAKE_EVENT, wake);
		return stop;
	};
}

/** Asks the light block holding the element marked `data-wakes="<id>"` to draw itself in full (then `id` exists). */
export function wakeFor(id: string): void {
	document.querySelector(`[data-wakes="${CSS.escape(id)}"]`)?.dispatchEvent(new Event(WAKE_EVENT, { bubbles: true }));
}
