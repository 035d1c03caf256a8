import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardIndex } from '../../web/src/lib/state/board-index.ts';
import { NO_DOTS } from '../../web/src/lib/state/board-model.ts';

/** The board's incremental read model (web/src/lib/state/board-index.ts) against a real Y.Doc. */
describe('board index', () => {
  const post = (doc: Y.Doc, id: string, q: string, text: string, createdAt: number, clusterId: string | null = null, authorId = 'ana') =>
    doc.transact(() => {
      const m = new Y.Map<unknown>();
      doc.getMap('ideas').set(id, m);
      for (const [k, v] of Object.entries({ text, questionId: q, clusterId, authorId, authorName: 'Ana', sector: 'comunidad', createdAt })) m.set(k, v);
    });
  const group = (doc: Y.Doc, id: string, q: string, title: string, createdAt: number) =>
    doc.transact(() => {
      const m = new Y.Map<unknown>();
      doc.getMap('clusters').set(id, m);
      for (const [k, v] of Object.entries({ title, questionId: q, createdAt })) m.set(k, v);
    });
  const texts = (lane: { groups: { ideas: { text: string }[] }[]; ungrouped: { text: string }[] } | undefined) => ({
    groups: lane?.groups.map((g) => g.ideas.map((i) => i.text)),
    ungrouped: lane?.ungrouped.map((i) => i.text)
  });

  function setUp() {
    const doc = new Y.Doc();
    group(doc, 'g1', 'q1', 'Agua', 1);
    post(doc, 'a', 'q1', 'A', 1, 'g1');
    post(doc, 'b', 'q1', 'B', 2);
    post(doc, 'c', 'q2', 'C', 3);
    const index = new BoardIndex(doc, 'ana');
    index.rebuild();
    return { doc, index };
  }

  it('builds lanes: groups with their ideas, then ungrouped ideas newest first', () => {
    const { doc, index } = setUp();
    post(doc, 'd', 'q1', 'D', 4);
    index.flush();
    expect(texts(index.lanes.get('q1'))).toEqual({ groups: [['A']], ungrouped: ['D', 'B'] });
    expect(index.lanes.get('q1')!.count).toBe(3);
    expect(texts(index.lanes.get('q2'))).toEqual({ groups: [], ungrouped: ['C'] });
  });

  it('replaces only what changed: the other lane, the untouched group and ideas keep their objects', () => {
    const { doc, index } = setUp();
    const before = index.lanes;
    const q1 = before.get('q1')!;
    const q2 = before.get('q2')!;
    (doc.getMap('ideas').get('b') as Y.Map<unknown>).set('text', 'B editada');
    const applied = index.flush();
    expect(applied.lanes).toBe(true);
    expect(index.lanes).not.toBe(before);
    expect(index.lanes.get('q2')).toBe(q2);
    const after = index.lanes.get('q1')!;
    expect(after).not.toBe(q1);
    expect(after.groups[0]).toBe(q1.groups[0]); // the group of A did not change
    expect(after.ungrouped[0]!.text).toBe('B editada');
    // Nothing changed: nothing is replaced.
    (doc.getMap('ideas').get('b') as Y.Map<unknown>).set('text', 'B editada');
    expect(index.flush().lanes).toBe(false);
  });

  it('follows moves, deletes, new groups and ideas moving between questions', () => {
    const { doc, index } = setUp();
    (doc.getMap('ideas').get('b') as Y.Map<unknown>).set('clusterId', 'g1');
    index.flush();
    expect(texts(index.lanes.get('q1'))).toEqual({ groups: [['A', 'B']], ungrouped: [] });
    doc.getMap('clusters').delete('g1');
    index.flush();
    expect(texts(index.lanes.get('q1'))).toEqual({ groups: [], ungrouped: ['B', 'A'] });
    (doc.getMap('ideas').get('a') as Y.Map<unknown>).set('questionId', 'q2');
    doc.getMap('ideas').delete('b');
    const applied = index.flush();
    expect(applied.added).toEqual([]);
    expect(index.lanes.has('q1')).toBe(false);
    expect(texts(index.lanes.get('q2'))).toEqual({ groups: [], ungrouped: ['C', 'A'] });
    expect(index.ideaCount).toBe(2);
  });

  it('tallies votes per target and sector, and counts only dots on targets that still exist', () => {
    const { doc, index } = setUp();
    doc.getMap('participants').set('ana', { name: 'Ana', sector: 'comunidad' });
    doc.getMap('participants').set('beto', { name: 'Beto', sector: 'mipyme' });
    doc.getMap('votes').set('a|ana', 2);
    doc.getMap('votes').set('a|beto', 1);
    doc.getMap('votes').set('g1|ana', 1);
    let applied = index.flush();
    expect([...applied.tallies].sort()).toEqual(['a', 'g1']);
    expect(index.tally('a')).toEqual({ total: 3, mine: 2, bySector: [['comunidad', 2], ['mipyme', 1]] });
    expect(index.mySpent()).toBe(3);
    const g1 = index.tally('g1');
    doc.getMap('ideas').delete('a');
    applied = index.flush();
    expect(index.mySpent()).toBe(1);
    expect(index.tally('g1')).toBe(g1);
    // Beto's sector changes: his dots move.
    doc.getMap('participants').set('beto', { name: 'Beto', sector: 'universidad' });
    index.flush();
    expect(index.tally('a')!.bySector).toEqual([['comunidad', 2], ['universidad', 1]]);
    doc.getMap('votes').delete('a|beto');
    doc.getMap('votes').delete('a|ana');
    index.flush();
    expect(index.tally('a')).toBeUndefined(); // the idea is gone too
  });

  it('gives every idea and group on the board a tally, one shared NO_DOTS while undotted, and none once gone', () => {
    // The page keys its vote totals on these entries: a target without one made every undotted
    // card re-read its votes whenever anyone's dot landed anywhere (SvelteMap follows missing keys whole).
    const { doc, index } = setUp();
    expect(index.tally('b')).toBe(NO_DOTS);
    expect(index.tally('g1')).toBe(NO_DOTS);
    expect([...index.targets()].sort()).toEqual(['a', 'b', 'c', 'g1']);
    post(doc, 'd', 'q1', 'D', 4);
    expect(index.flush().tallies).toEqual(new Set(['d']));
    expect(index.tally('d')).toBe(NO_DOTS);
    doc.getMap('votes').set('d|ana', 1);
    index.flush();
    expect(index.tally('d')).toEqual({ total: 1, mine: 1, bySector: [['', 1]] });
    doc.getMap('votes').delete('d|ana');
    index.flush();
    expect(index.tally('d')).toBe(NO_DOTS);
    doc.getMap('ideas').delete('d');
    expect(index.flush().tallies).toEqual(new Set(['d']));
    expect(index.tally('d')).toBeUndefined();
    expect(index.tally('nowhere')).toBeUndefined();
  });

  it('reports each new idea once, and puts hidden ideas in their lane unless the board has them', () => {
    const { doc, index } = setUp();
    post(doc, 'e', 'q2', 'E', 5, null, 'beto');
    expect(index.flush().added.map((i) => i.id)).toEqual(['e']);
    (doc.getMap('ideas').get('e') as Y.Map<unknown>).set('text', 'E2');
    expect(index.flush().added).toEqual([]);
    const hidden = { id: 'h', text: 'Oculta', questionId: 'q2', clusterId: null, authorId: 'x', authorName: 'X', sector: null, createdAt: 6, hidden: true };
    index.setHidden([hidden]);
    expect(texts(index.lanes.get('q2'))).toEqual({ groups: [], ungrouped: ['Oculta', 'E2', 'C'] });
    // While it moves back, the board's copy wins.
    post(doc, 'h', 'q2', 'Oculta', 6, null, 'x');
    index.flush();
    expect(texts(index.lanes.get('q2')).ungrouped).toEqual(['Oculta', 'E2', 'C']);
    expect(index.lanes.get('q2')!.ungrouped[0]!.hidden).toBe(false);
  });
});
