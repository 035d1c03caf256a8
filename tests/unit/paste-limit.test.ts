import { describe, expect, it } from 'vitest';
import { MAX_IDEA_CHARS } from '../../contract/board-document.ts';
import { pasteOverflow } from '../../web/src/lib/paste-limit.ts';

describe('paste overflow (what maxlength drops from a paste)', () => {
  const field = (value: string, selectionStart = value.length, selectionEnd = selectionStart) => ({ value, selectionStart, selectionEnd });

  it('counts what does not fit, 23 of a 523-character paste into an empty idea', () => {
    expect(pasteOverflow(field(''), 'x'.repeat(MAX_IDEA_CHARS + 23), MAX_IDEA_CHARS)).toBe(23);
  });

  it('is 0 when the paste fits, and counts the text already there', () => {
    expect(pasteOverflow(field(''), 'x'.repeat(MAX_IDEA_CHARS), MAX_IDEA_CHARS)).toBe(0);
    expect(pasteOverflow(field('y'.repeat(490)), 'x'.repeat(15), MAX_IDEA_CHARS)).toBe(5);
  });

  it('leaves out the selection the paste replaces', () => {
    expect(pasteOverflow(field('y'.repeat(MAX_IDEA_CHARS), 0, 100), 'x'.repeat(100), MAX_IDEA_CHARS)).toBe(0);
    expect(pasteOverflow(field('y'.repeat(MAX_IDEA_CHARS), 0, 100), 'x'.repeat(101), MAX_IDEA_CHARS)).toBe(1);
  });
});
