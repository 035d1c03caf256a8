/**
 * Makes everything on the page inert except `keep` and the live regions beside it (so notices are
 * still read): a full-screen drawer then behaves like a modal for keyboards and screen readers,
 * while staying in the page's stacking order (a modal <dialog> would cover the board's notices).
 * Returns the function that undoes it.
 */
export function inertOutside(keep: HTMLElement): () => void {
	const changed: HTMLElement[] = [];
	for (let el: HTMLElement | null = keep; el && el !== document.body; el = el.parentElement) {
		for (const sibling of el.parentElement?.children ?? []) {
			if (sibling === el || !(sibling instanceof HTMLElement) || sibling.inert) continue;
			if (sibling.matches('[aria-live], [role="status"], [role="alert"], script, style')) continue;
			sibling.inert = true;
			changed.push(sibling);
		}
	}
	return () => changed.forEach((el) => (el.inert = false));
}
