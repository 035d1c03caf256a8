/** Space kept between a menu and the edges of the viewport, and between a menu and its button (px). */
const EDGE_PX = 8;
const GAP_PX = 4;

type Rect = { top: number; bottom: number; right: number };

/**
 * Where a menu (a fixed popover) goes: under its button, above it when only there it fits, and
 * otherwise as low as it fits; always inside the viewport, right-aligned with the button.
 */
export function menuPosition(button: Rect, menu: { width: number; height: number }, viewport: { width: number; height: number }) {
	const below = button.bottom + GAP_PX;
	const above = button.top - GAP_PX - menu.height;
	const room = viewport.height - EDGE_PX;
	const top = below + menu.height <= room ? below : above >= EDGE_PX ? above : Math.min(below, room - menu.height);
	const left = Math.min(button.right - menu.width, viewport.width - menu.width - EDGE_PX);
	return { top: Math.max(EDGE_PX, top), left: Math.max(EDGE_PX, left) };
}

/** Puts `menu` at menuPosition() for `button`. */
export function placeMenu(button: HTMLElement, menu: HTMLElement): void {
	const m = menu.getBoundingClientRect();
	const { top, left } = menuPosition(button.getBoundingClientRect(), m, { width: innerWidth, height: innerHeight });
	menu.style.top = `${top}px`;
	menu.style.left = `${left}px`;
}
