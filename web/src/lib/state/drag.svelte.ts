/**
 * Drag an idea into a group (or back to "Sin grupo") with mouse, pen or touch, through pointer
 * events on a drag handle. Drop targets are elements with `data-drop-question` (and
 * `data-drop-cluster`, absent for the ungrouped area), found with document.elementFromPoint.
 * Keyboard and screen-reader users have the "Mover a…" select instead.
 */
import type { Attachment } from 'svelte/attachments';

export interface DragItem {
	ideaId: string;
	questionId: string;
	clusterId: string | null;
}

/** Pointer travel before a press becomes a drag (px), so a tap never moves anything. */
const DRAG_THRESHOLD_PX = 5;
/** Distance from the viewport's top/bottom edge where the page scrolls while dragging (px). */
const EDGE_PX = 72;
const MAX_SCROLL_PX_PER_FRAME = 18;

export class DragController {
	item = $state<DragItem | null>(null);
	/** Drop target under the pointer: a cluster id, '' for ungrouped, null for none. */
	over = $state<string | null>(null);

	constructor(private readonly onDrop: (item: DragItem, clusterId: string | null) => void) {}

	/** `{@attach drag.handle(() => item)}` on the handle element (which needs touch-action: none). */
	handle = (getItem: () => DragItem): Attachment<HTMLElement> => (node) => {
		const down = (e: PointerEvent) => {
			if (e.button !== 0 || this.item) return;
			const card = node.closest<HTMLElement>('[data-idea-card]');
			if (!card) return;
			e.preventDefault();
			node.setPointerCapture(e.pointerId);
			this.track(card, e, getItem);
		};
		node.addEventListener('pointerdown', down);
		return () => node.removeEventListener('pointerdown', down);
	};

	private track(card: HTMLElement, start: PointerEvent, getItem: () => DragItem) {
		const rect = card.getBoundingClientRect();
		const offX = start.clientX - rect.left;
		const offY = start.clientY - rect.top;
		let ghost: HTMLElement | null = null;
		let lastY = start.clientY;
		let frame = 0;

		const scroll = () => {
			const dy = lastY < EDGE_PX ? lastY - EDGE_PX : lastY > innerHeight - EDGE_PX ? lastY - (innerHeight - EDGE_PX) : 0;
			if (dy !== 0) window.scrollBy(0, Math.max(-1, Math.min(1, dy / EDGE_PX)) * MAX_SCROLL_PX_PER_FRAME);
			frame = requestAnimationFrame(scroll);
		};
		const move = (e: PointerEvent) => {
			if (e.pointerId !== start.pointerId) return;
			if (!ghost) {
				if (Math.hypot(e.clientX - start.clientX, e.clientY - start.clientY) < DRAG_THRESHOLD_PX) return;
				ghost = makeGhost(card, rect.width);
				this.item = getItem();
				document.documentElement.classList.add('is-dragging');
				frame = requestAnimationFrame(scroll);
			}
			lastY = e.clientY;
			ghost.style.transform = `translate(${e.clientX - offX}px, ${e.clientY - offY}px) rotate(1.5deg)`;
			this.over = this.targetAt(e.clientX, e.clientY);
		};
		const finish = (drop: boolean) => {
			removeEventListener('pointermove', move);
			removeEventListener('pointerup', up);
			removeEventListener('pointercancel', cancel);
			removeEventListener('keydown', key, true);
			cancelAnimationFrame(frame);
			ghost?.remove();
			document.documentElement.classList.remove('is-dragging');
			const { item, over } = this;
			this.item = null;
			this.over = null;
			if (drop && item && over !== null) {
				const clusterId = over === '' ? null : over;
				if (clusterId !== item.clusterId) this.onDrop(item, clusterId);
			}
		};
		const up = (e: PointerEvent) => e.pointerId === start.pointerId && finish(true);
		const cancel = (e: PointerEvent) => e.pointerId === start.pointerId && finish(false);
		const key = (e: KeyboardEvent) => {
			if (e.key === 'Escape') {
				e.preventDefault();
				finish(false);
			}
		};
		// On window, not the handle: captured events bubble there, and they still arrive if a remote
		// change re-renders the card (and its handle) in the middle of a drag.
		addEventListener('pointermove', move);
		addEventListener('pointerup', up);
		addEventListener('pointercancel', cancel);
		addEventListener('keydown', key, true);
	}

	private targetAt(x: number, y: number): string | null {
		const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-drop-question]');
		if (!el || !this.item || el.dataset.dropQuestion !== this.item.questionId) return null;
		return el.dataset.dropCluster ?? '';
	}
}

/** A copy of the card that follows the pointer; invisible to assistive tech and to hit-testing. */
function makeGhost(card: HTMLElement, width: number): HTMLElement {
	const ghost = card.cloneNode(true) as HTMLElement;
	ghost.removeAttribute('id');
	for (const el of ghost.querySelectorAll('[id]')) el.removeAttribute('id');
	ghost.setAttribute('aria-hidden', 'true');
	ghost.classList.add('drag-ghost');
	ghost.style.width = `${width}px`;
	document.body.append(ghost);
	return ghost;
}
