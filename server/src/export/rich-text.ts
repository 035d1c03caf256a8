import type * as Y from 'yjs';

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}
export interface Paragraph {
  kind: 'p' | 'bullet' | 'ordered';
  runs: Run[];
}

interface DeltaOp {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

/**
 * Reads a proposal section (a `Y.Text` edited with Quill's line format: inline bold/italic/underline,
 * and `list` on the newline that ends a line) into paragraphs. Embeds are ignored.
 */
export function textToParagraphs(text: Y.Text | undefined): Paragraph[] {
  if (!text) return [];
  const paragraphs: Paragraph[] = [];
  let runs: Run[] = [];
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string') continue;
    const a = op.attributes ?? {};
    const lines = op.insert.split('\n');
    lines.forEach((part, i) => {
      if (part) runs.push({ text: part, ...(a.bold ? { bold: true } : {}), ...(a.italic ? { italic: true } : {}), ...(a.underline ? { underline: true } : {}) });
      if (i < lines.length - 1) {
        const kind = a.list === 'bullet' ? 'bullet' : a.list === 'ordered' ? 'ordered' : 'p';
        paragraphs.push({ kind, runs });
        runs = [];
      }
    });
  }
  if (runs.length > 0) paragraphs.push({ kind: 'p', runs });
  return paragraphs.filter((p) => p.runs.some((r) => r.text.trim() !== ''));
}

export const paragraphText = (p: Paragraph) => p.runs.map((r) => r.text).join('');
