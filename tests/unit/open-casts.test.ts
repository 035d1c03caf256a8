import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { holdsSnapshot } from '../../server/src/realtime/open-casts.ts';

/** Two processes' copies of one board: `a` writes, `b` has or has not heard of it yet. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.getMap<number>('votes').set('idea-1|ana', 1);
  a.getMap<number>('votes').set('idea-2|ana', 1);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b };
}
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('holdsSnapshot: whether a process holds what the previous cast of a participant left', () => {
  it('holds a snapshot of the same state, and of an older one', () => {
    const { a, b } = pair();
    const older = Y.snapshot(a);
    expect(holdsSnapshot(b, Y.snapshot(a))).toBe(true);
    b.getMap<number>('votes').set('idea-1|ana', 2);
    expect(holdsSnapshot(b, older)).toBe(true);
  });

  it('lacks a dot written after it last heard', () => {
    const { a, b } = pair();
    a.getMap<number>('votes').set('idea-1|ana', 2);
    expect(holdsSnapshot(b, Y.snapshot(a))).toBe(false);
    sync(a, b);
    expect(holdsSnapshot(b, Y.snapshot(a))).toBe(true);
  });

  it('lacks a dot taken back to zero (a deletion, which moves no state vector)', () => {
    const { a, b } = pair();
    a.getMap<number>('votes').delete('idea-2|ana');
    expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
    expect(holdsSnapshot(b, Y.snapshot(a))).toBe(false);
    sync(a, b);
    expect(holdsSnapshot(b, Y.snapshot(a))).toBe(true);
  });

  it('lacks one of two deletions, wherever it lies in the range', () => {
    const { a, b } = pair();
    const text = a.getText('t');
    text.insert(0, 'abcdefghij');
    sync(a, b);
    text.delete(2, 2);
    text.delete(4, 2);
    const part = Y.snapshot(a);
    const bText = b.getText('t');
    bText.delete(2, 2);
    expect(holdsSnapshot(b, part)).toBe(false);
    sync(a, b);
    expect(holdsSnapshot(b, part)).toBe(true);
  });
});
