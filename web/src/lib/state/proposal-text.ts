/**
 * The proposal draft in the board's Y.Doc: `doc.getMap('proposal')`, section key → `Y.Text` in
 * Quill's format (inline bold/italic/underline; `list` on the newline that ends a line), which is
 * what the exports read (server/src/export/rich-text.ts).
 */
import * as Y from 'yjs';
import { PROPOSAL_SECTIONS, type ProposalSectionKey } from '../../../../seed/proposal';

export { PROPOSAL_SECTIONS, type ProposalSectionKey };

/** The only formats the editor offers and the exports understand (no links, images or embeds). */
export const PROPOSAL_FORMATS = ['bold', 'italic', 'underline', 'list'] as const;

export interface Run {
	text: string;
	bold?: boolean;
	italic?: boolean;
}

/** One line: a bullet item, or a plain paragraph. */
export interface Line {
	bullet: boolean;
	runs: Run[];
}

export const proposalMap = (doc: Y.Doc) => doc.getMap<unknown>('proposal');

/** The section's text, or null while nobody has written in it. */
export function sectionText(doc: Y.Doc, key: string): Y.Text | null {
	const value = proposalMap(doc).get(key);
	return value instanceof Y.Text ? value : null;
}

/**
 * Creates the section's text. Two people creating it at the same moment each make one; Yjs keeps
 * one of them, so the editor moves over what was typed into the other (SectionEditor). The server
 * may still refuse the losing side's typing (reported); createMissingSections makes this rare.
 */
export function createSectionText(doc: Y.Doc, key: string): Y.Text {
	const text = new Y.Text();
	doc.transact(() => proposalMap(doc).set(key, text));
	return text;
}

/**
 * Creates every missing section in one transaction. The facilitator's page does this when it opens
 * the board, so participants rarely create a section themselves (see createSectionText).
 */
export function createMissingSections(doc: Y.Doc): void {
	const map = proposalMap(doc);
	const missing = PROPOSAL_SECTIONS.filter((s) => !(map.get(s.key) instanceof Y.Text));
	if (missing.length) doc.transact(() => missing.forEach((s) => map.set(s.key, new Y.Text())));
}

/** Appends lines at the end of a section (creating it if needed), in one transaction: one update. */
export function appendLines(doc: Y.Doc, key: string, lines: readonly Line[]): void {
	doc.transact(() => {
		let text = sectionText(doc, key);
		if (!text) {
			text = new Y.Text();
			proposalMap(doc).set(key, text);
		}
		let at = text.length;
		// Quill keeps the last line's newline implicit: close that line before adding ours.
		if (at > 0 && !text.toString().endsWith('\n')) {
			text.insert(at, '\n', {});
			at += 1;
		}
		for (const line of lines) {
			for (const run of line.runs) {
				// Explicit attributes: without them Yjs would let the new text inherit the formats before it.
				const attributes: Record<string, true> = {};
				if (run.bold) attributes.bold = true;
				if (run.italic) attributes.italic = true;
				text.insert(at, run.text, attributes);
				at += run.text.length;
			}
			text.insert(at, '\n', line.bullet ? { list: 'bullet' } : {});
			at += 1;
		}
	});
}

/** Idea texts may hold line breaks; in the draft each idea stays on its own line. */
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

export interface DraftIdea {
	text: string;
	authorName: string;
	votes: number;
}

/** `Texto — Autor (N votos)` as a bullet line. */
export function ideaLine(idea: DraftIdea, votesLabel: (n: number) => string): Line {
	const by = idea.authorName ? ` — ${oneLine(idea.authorName)}` : '';
	return { bullet: true, runs: [{ text: `${oneLine(idea.text)}${by} (${votesLabel(idea.votes)})` }] };
}

/**
 * A group: `«Título» (N votos)` in bold as a lead line, then its ideas (most voted first) as bullets
 * under it. The editor has no nested lists (the exports would flatten them), so the lead line is a
 * paragraph and the ideas are the list.
 */
export function groupLines(title: string, votes: number, ideas: readonly DraftIdea[], votesLabel: (n: number) => string): Line[] {
	const lead: Line = { bullet: false, runs: [{ text: `«${oneLine(title)}»`, bold: true }, { text: ` (${votesLabel(votes)})` }] };
	const sorted = [...ideas].sort((a, b) => b.votes - a.votes);
	return [lead, ...sorted.map((i) => ideaLine(i, votesLabel))];
}
