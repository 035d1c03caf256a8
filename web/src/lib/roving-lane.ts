/**
 * One Tab stop per lane (WAI-ARIA APG composite widget, roving tabindex). A lane holds hundreds
 * of ideas, each with a few buttons: tabbing through all of them to reach the next question is
 * not usable. Inside the lane, items (idea cards, group headers: `[data-nav-item]`) take the focus
 * with ↑/↓ (Home/End for the first and last), an item's own buttons with ←/→, Enter on a card
 * opens its actions. Tab leaves the lane from wherever the focus is; coming back lands on the item
 * last used. Text fields keep their keys.
 */
import type { Attachment } from 'svelte/attachments';

const ITEM = '[data-nav-item]';
const CONTROLS = 'button, a[href], input, select, [role="button"]';
const TYPING = 'input, textarea, select, [contenteditable="true"], [role="menu"] *';

const itemsOf = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>(ITEM)].filter((el) => el.offsetParent !== null || el === document.activeElement);

/** An item's own controls (not those of items nested in it, such as a group's cards). */
const controlsOf = (item: HTMLElement) =>
	[...item.querySelectorAll<HTMLElement>(CONTROLS)].filter((el) => el.closest(ITEM) === item && !(el as HTMLButtonElement).disabled);

export function rovingLane(): Attachment<HTMLElement> {
	return (root) => {
		/** Items and their controls (within `scope`) leave the Tab order; one item (the active one) stays in it. */
		const settle = (scope: Element = root) => {
			const items = scope.matches(ITEM) ? [scope as HTMLElement] : [];
			for (const item of [...items, ...scope.querySelectorAll<HTMLElement>(ITEM)]) if (!item.hasAttribute('tabindex')) item.tabIndex = -1;
			const controls = scope.matches(CONTROLS) ? [scope as HTMLElement] : [];
			for (const c of [...controls, ...scope.querySelectorAll<HTMLElement>(CONTROLS)]) {
				if (c.tabIndex !== -1 && !c.matches('input, textarea') && c.closest(ITEM) && root.contains(c.closest(ITEM))) c.tabIndex = -1;
			}
		};
		const ensureStop = () => {
			if (!root.querySelector(`${ITEM}[tabindex="0"]`)) {
				const first = root.querySelector<HTMLElement>(ITEM);
				if (first) first.tabIndex = 0;
			}
		};
		/**
		 * Only what was added: a remote change adds a few cards, and going over every card and
		 * button of a 300-card lane after each one made querySelectorAll the page's costliest
		 * function while typing on a 2,000-idea board with 20 changes a second.
		 */
		const onmutations = (records: MutationRecord[]) => {
			for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) settle(n);
			ensureStop();
		};
		const activate = (item: HTMLElement) => {
			for (const el of root.querySelectorAll<HTMLElement>(`${ITEM}[tabindex="0"]`)) if (el !== item) el.tabIndex = -1;
			item.tabIndex = 0;
		};

		const onfocusin = (e: FocusEvent) => {
			const item = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
			if (item && root.contains(item)) activate(item);
		};

		const onkeydown = (e: KeyboardEvent) => {
			const target = e.target as HTMLElement;
			if (e.altKey || e.ctrlKey || e.metaKey || target.matches(TYPING)) return;
			const item = target.closest<HTMLElement>(ITEM);
			if (!item || !root.contains(item)) return;
			const items = itemsOf(root);
			const at = items.indexOf(item);
			const go = (to: HTMLElement | undefined) => {
				if (!to) return;
				e.preventDefault();
				activate(to);
				to.focus();
				to.scrollIntoView({ block: 'nearest', inline: 'nearest' });
			};
			switch (e.key) {
				case 'ArrowDown':
					return go(items[at + 1]);
				case 'ArrowUp':
					return go(items[at - 1]);
				case 'Home':
					return go(items[0]);
				case 'End':
					return go(items.at(-1));
				case 'ArrowRight':
				case 'ArrowLeft': {
					const stops = [item, ...controlsOf(item)];
					const i = stops.indexOf(target);
					const next = stops[(i + (e.key === 'ArrowRight' ? 1 : -1) + stops.length) % stops.length];
					e.preventDefault();
					next?.focus();
					return;
				}
				case 'Enter':
					// On the card itself: its actions (the menu's button is the card's last control).
					if (target === item && item.matches('[data-idea-card]')) {
						e.preventDefault();
						item.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.click();
					}
					return;
			}
		};

		settle();
		ensureStop();
		const observer = new MutationObserver(onmutations);
		observer.observe(root, { childList: true, subtree: true });
		root.addEventListener('focusin', onfocusin);
		root.addEventListener('keydown', onkeydown);
		return () => {
			observer.disconnect();
			root.removeEventListener('focusin', onfocusin);
			root.removeEventListener('keydown', onkeydown);
		};
	};
}
