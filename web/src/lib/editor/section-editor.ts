/**
 * One proposal section's editor: Quill 2 limited to the formats the exports understand, bound to
 * the section's Y.Text with y-quill, with collaborators' cursors (quill-cursors). Loaded only when
 * the draft panel first opens, so the board itself stays light on phones.
 */
import Quill, { Delta } from 'quill/core';
import Bold from 'quill/formats/bold.js';
import Italic from 'quill/formats/italic.js';
import List from 'quill/formats/list.js';
import Underline from 'quill/formats/underline.js';
import Toolbar from 'quill/modules/toolbar.js';
import QuillCursorsExport from 'quill-cursors/core';
import { QuillBinding } from 'y-quill';
import type * as Y from 'yjs';
import 'quill/dist/quill.core.css';
import 'quill-cursors/css';
import type { LiveDoc } from '$lib/state/board-doc.svelte';
import { createSectionText, PROPOSAL_FORMATS, proposalMap, sectionText } from '$lib/state/proposal-text';
import { SectionAwareness } from './section-awareness';

/** quill-cursors ships a UMD bundle: its class may arrive wrapped in `{ default }`, depending on interop. */
const QuillCursors = ('default' in QuillCursorsExport ? QuillCursorsExport.default : QuillCursorsExport) as typeof QuillCursorsExport;

Quill.register(
	{ 'formats/bold': Bold, 'formats/italic': Italic, 'formats/underline': Underline, 'formats/list': List, 'modules/toolbar': Toolbar, 'modules/cursors': QuillCursors },
	true
);

/**
 * Tab leaves the editor (no tab characters, no indent: a keyboard trap otherwise, and the exports
 * have no nested lists); "- " and "1. " still start lists, "[ ]" does not make a checklist.
 */
const KEY_BINDINGS = {
	tab: false,
	indent: false,
	outdent: false,
	'remove tab': false,
	'indent code-block': false,
	'outdent code-block': false,
	'table tab': false,
	'list autofill': { prefix: /^\s*?(\d+\.|-|\*)$/ }
};

/** How long a collaborator's name shows by their cursor after it moves (ms); hovering shows it too. */
const NAME_FLAG_MS = 3000;

export interface SectionEditorOptions {
	/** The element Quill turns into the editor. */
	root: HTMLElement;
	/** Our own accessible toolbar (buttons with `ql-bold`, `ql-list` value="bullet", …). */
	toolbar: HTMLElement;
	key: string;
	/** Whether this person may write the draft now (creating the section's text on first focus). */
	mayWrite(): boolean;
	userOf(user: unknown): { name: string; color: string };
}

export class SectionEditor {
	readonly quill: Quill;
	private live: LiveDoc | null = null;
	private text: Y.Text | null = null;
	private binding: QuillBinding | null = null;
	private awareness: SectionAwareness | null = null;
	/** The text this page created, to keep what was typed in it if another person's creation wins. */
	private created: Y.Text | null = null;
	private stopObserving = () => {};
	private flagTimers = new Map<number, ReturnType<typeof setTimeout>>();

	constructor(private readonly o: SectionEditorOptions) {
		this.quill = new Quill(o.root, {
			formats: [...PROPOSAL_FORMATS],
			readOnly: true,
			modules: {
				toolbar: { container: o.toolbar },
				cursors: { hideDelayMs: 2500, transformOnTextChange: true },
				// Undo only what this person typed, never a collaborator's text.
				history: { userOnly: true },
				// No image drops: the draft holds text only (the server refuses embeds).
				uploader: false,
				keyboard: { bindings: KEY_BINDINGS }
			}
		});
		const el = this.quill.root;
		el.setAttribute('role', 'textbox');
		el.setAttribute('aria-multiline', 'true');
		el.addEventListener('focus', this.onFocus);
	}

	/** Accessible name, description and placeholder (they follow the UI language). */
	describe(label: string, describedBy: string, placeholder: string): void {
		const el = this.quill.root;
		el.setAttribute('aria-label', label);
		el.setAttribute('aria-describedby', describedBy);
		el.dataset.placeholder = placeholder;
	}

	setEnabled(enabled: boolean): void {
		this.quill.enable(enabled);
		this.quill.root.setAttribute('aria-readonly', String(!enabled));
	}

	/** The doc changed (first sync, or a resync after a refused update): bind to its text. */
	setLive(live: LiveDoc | null): void {
		const next = live?.synced ? live : null;
		if (next?.doc === this.live?.doc) return;
		this.stopObserving();
		this.stopObserving = () => {};
		this.unbind();
		this.live = next;
		if (!next) return;
		const map = proposalMap(next.doc);
		const onChange = (e: Y.YMapEvent<unknown>) => {
			if (e.keysChanged.has(this.o.key)) this.rebind();
		};
		map.observe(onChange);
		this.stopObserving = () => map.unobserve(onChange);
		this.rebind();
	}

	private onFocus = () => {
		if (this.text || !this.live || !this.o.mayWrite()) return;
		// The section's text is made on first use; the map observer binds it right away.
		this.created = createSectionText(this.live.doc, this.o.key);
	};

	private unbind(): void {
		this.binding?.destroy();
		this.binding = null;
		this.text = null;
		this.live?.provider.awareness.off('change', this.showNames);
		this.flagTimers.forEach((t) => clearTimeout(t));
		this.flagTimers.clear();
	}

	/** quill-cursors shows names only on hover (no hover on a phone): show them while people move. */
	private showNames = ({ added, updated }: { added: number[]; updated: number[] }) => {
		const cursors = this.quill.getModule('cursors') as QuillCursorsExport;
		for (const id of [...added, ...updated]) {
			if (!this.awareness?.hasCursorHere(id)) continue;
			cursors.toggleFlag(String(id), true);
			clearTimeout(this.flagTimers.get(id));
			this.flagTimers.set(id, setTimeout(() => cursors.toggleFlag(String(id), false), NAME_FLAG_MS));
		}
	};

	private rebind(): void {
		if (!this.live) return;
		const next = sectionText(this.live.doc, this.o.key);
		if (next === this.text) return;
		// Someone else's text for this section replaced ours: carry over what was typed here.
		const carried = this.text && this.text === this.created && this.quill.getText().trim() ? this.quill.getContents() : null;
		this.unbind();
		if (!next) {
			this.quill.setContents(new Delta(), 'silent');
			return;
		}
		this.text = next;
		this.awareness = new SectionAwareness(this.live.provider.awareness, this.o.key, this.o.userOf);
		this.binding = new QuillBinding(next, this.quill, this.awareness.asAwareness());
		// After the binding's own listener, so the cursor exists when its name is shown.
		this.live.provider.awareness.on('change', this.showNames);
		if (carried) {
			const end = this.quill.getLength() - 1;
			this.quill.updateContents(new Delta().retain(end).insert(end > 0 ? '\n' : '').concat(carried), 'user');
		}
	}

	destroy(): void {
		this.stopObserving();
		this.unbind();
		this.quill.root.removeEventListener('focus', this.onFocus);
		this.awareness?.setLocalStateField('cursor', null);
	}
}
