import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MAX_CLUSTERS_PER_PARTICIPANT,
  MAX_EXTRA_FIELDS,
  MAX_EXTRA_KEYS,
  MAX_IDEAS_PER_PARTICIPANT,
  MAX_SECTION_CHARS
} from '../../contract/board-document.ts';
import { phaseGate } from '../../server/src/sessions/phase-gate.ts';
import { openSession, type SessionRecord } from '../../server/src/sessions/session-state.ts';
import { facilitator, identity, ideaOf, postIdea, roomHarness } from '../helpers/room.ts';

const ana = identity('ana');

/** Ana's idea with every field of the contract, some replaced (undefined: left out). */
function writeIdea(doc: Y.Doc, id: string, over: Record<string, unknown>) {
  const fields = { text: 'x', questionId: 'q1', clusterId: null, authorId: 'ana', authorName: 'Ana', sector: 'comunidad', createdAt: 1, ...over };
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    doc.getMap('ideas').set(id, m);
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) m.set(k, v);
  });
}

/** Every field's type and range, and how much one person (or everyone) can make a board hold. */
describe('board bounds', () => {
  let h: ReturnType<typeof roomHarness>;
  afterEach(() => h.close());

  /** Sends `change` from a fresh client of `who` and returns the refusal codes it got. */
  const attempt = async (who = ana, change: (doc: Y.Doc) => void) => {
    const c = h.client(who);
    await h.settle();
    change(c.doc);
    await h.settle();
    c.disconnect();
    return c.refusals;
  };

  it('refuses a createdAt that is not a date every export can print (NaN, ±Infinity, 1e300, 2.5)', async () => {
    h = roomHarness();
    for (const bad of [Number.NaN, Infinity, -Infinity, 1e300, 2.5, -1, '1700000000000']) {
      const refusals = await attempt(ana, (doc) => writeIdea(doc, 'i1', { createdAt: bad }));
      expect(refusals, String(bad)).toContain('INVALID_SHAPE');
    }
    expect(h.room.doc.getMap('ideas').size).toBe(0);
    expect(await attempt(ana, (doc) => postIdea(doc, ana, 'ok', 'Fecha buena'))).toEqual([]);
  });

  it('refuses an idea without its author fields or its text', async () => {
    h = roomHarness();
    for (const missing of ['authorId', 'authorName', 'sector', 'text', 'questionId', 'createdAt']) {
      const refusals = await attempt(ana, (doc) => writeIdea(doc, `sin-${missing}`, { [missing]: undefined }));
      expect(refusals, missing).toEqual(['INVALID_SHAPE']);
    }
    expect(h.room.doc.getMap('ideas').size).toBe(0);
  });

  it('refuses a hidden flag written over Yjs, even by a facilitator: hiding moves the idea out of the board', async () => {
    h = roomHarness();
    expect(await attempt(ana, (doc) => postIdea(doc, ana, 'i1', 'Visible'))).toEqual([]);
    expect(await attempt(facilitator, (doc) => ideaOf(doc, 'i1')!.set('hidden', true))).toEqual(['INVALID_SHAPE']);
    expect(ideaOf(h.room.doc, 'i1')!.get('hidden')).toBeUndefined();
  });

  it('keeps small unknown keys and refuses large or too many ones', async () => {
    h = roomHarness();
    expect(await attempt(ana, (doc) => doc.getMap('extension').set('k', 'pequeño'))).toEqual([]);
    expect(await attempt(ana, (doc) => doc.getMap('extension').set('big', 'x'.repeat(1_000_000)))).toEqual(['TEXT_TOO_LONG']);
    expect(await attempt(ana, (doc) => doc.getMap('extension').set('nested', new Y.Map()))).toEqual(['INVALID_SHAPE']);
    expect(await attempt(ana, (doc) => doc.getArray('lista').push(['x']))).toEqual(['INVALID_SHAPE']);
    const many = await attempt(ana, (doc) => doc.transact(() => {
      for (let i = 0; i <= MAX_EXTRA_KEYS; i++) doc.getMap('extension').set(`k${i}`, i);
    }));
    expect(many).toEqual(['BOARD_FULL']);

    expect(await attempt(ana, (doc) => postIdea(doc, ana, 'i1', 'Con extras'))).toEqual([]);
    const field = (k: string, v: unknown) => (doc: Y.Doc) => ideaOf(doc, 'i1')!.set(k, v);
    expect(await attempt(ana, field('emoji', '🌵'))).toEqual([]);
    expect(await attempt(ana, field('blob', 'x'.repeat(300_000)))).toEqual(['TEXT_TOO_LONG']);
    const fields = await attempt(ana, (doc) => doc.transact(() => {
      for (let i = 0; i < MAX_EXTRA_FIELDS; i++) ideaOf(doc, 'i1')!.set(`f${i}`, i);
    }));
    expect(fields).toEqual(['INVALID_SHAPE']);
    expect(ideaOf(h.room.doc, 'i1')!.get('blob')).toBeUndefined();
  });

  it('bounds a proposal section as a whole, not only each paste', async () => {
    h = roomHarness();
    h.room.serverWrite('sections', (doc) => doc.getMap('proposal').set('problema', new Y.Text()));
    const paste = (doc: Y.Doc) => (doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'x'.repeat(MAX_SECTION_CHARS / 2));
    expect(await attempt(ana, paste)).toEqual([]);
    expect(await attempt(ana, paste)).toEqual([]);
    expect(await attempt(ana, paste)).toEqual(['TEXT_TOO_LONG']);
    expect((h.room.doc.getMap('proposal').get('problema') as Y.Text).length).toBe(MAX_SECTION_CHARS);
    // A participant cannot replace (wipe) a section; a facilitator can.
    expect(await attempt(ana, (doc) => doc.getMap('proposal').set('problema', new Y.Text('nuevo')))).toEqual(['INVALID_SHAPE']);
    expect(await attempt(facilitator, (doc) => doc.getMap('proposal').set('problema', new Y.Text('nuevo')))).toEqual([]);
  });

  it("bounds one person's ideas on a board; others and facilitators still post", async () => {
    h = roomHarness();
    const a = h.client(ana);
    await h.settle();
    for (let i = 0; i < MAX_IDEAS_PER_PARTICIPANT; i++) postIdea(a.doc, ana, `a${i}`, `Idea ${i}`);
    await h.settle();
    expect(a.refusals).toEqual([]);
    postIdea(a.doc, ana, 'one-more', 'Una más');
    await h.settle();
    expect(a.refusals).toEqual(['TOO_MANY_IDEAS']);
    expect(h.room.doc.getMap('ideas').size).toBe(MAX_IDEAS_PER_PARTICIPANT);
    const beto = identity('beto');
    expect(await attempt(beto, (doc) => postIdea(doc, beto, 'b1', 'De Beto'))).toEqual([]);
    // Deleting one of hers makes room again.
    expect(await attempt(ana, (doc) => doc.getMap('ideas').delete('a0'))).toEqual([]);
    expect(await attempt(ana, (doc) => postIdea(doc, ana, 'again', 'Otra vez'))).toEqual([]);
  });

  it("bounds the groups one person creates on a board; others and facilitators still group", async () => {
    const group = (doc: Y.Doc, id: string) =>
      doc.transact(() => {
        const m = new Y.Map<unknown>();
        doc.getMap('clusters').set(id, m);
        m.set('title', `Grupo ${id}`);
        m.set('questionId', 'q1');
      });
    h = roomHarness();
    const a = h.client(ana);
    await h.settle();
    for (let i = 0; i < MAX_CLUSTERS_PER_PARTICIPANT; i++) group(a.doc, `a${i}`);
    await h.settle();
    expect(a.refusals).toEqual([]);
    group(a.doc, 'one-more');
    await h.settle();
    expect(a.refusals).toEqual(['TOO_MANY_GROUPS']);
    expect(h.room.doc.getMap('clusters').size).toBe(MAX_CLUSTERS_PER_PARTICIPANT);
    const beto = identity('beto');
    expect(await attempt(beto, (doc) => group(doc, 'b1'))).toEqual([]);
    expect(await attempt(facilitator, (doc) => group(doc, 'f1'))).toEqual([]);
    // Deleting one of hers makes room again; renaming or deleting someone else's never counts for her.
    expect(await attempt(ana, (doc) => doc.getMap('clusters').delete('a0'))).toEqual([]);
    expect(await attempt(ana, (doc) => group(doc, 'again'))).toEqual([]);
    expect(await attempt(ana, (doc) => group(doc, 'too-many'))).toEqual(['TOO_MANY_GROUPS']);
  });

  it('refuses participants once a board stores more than its byte budget; facilitators still write', async () => {
    h = roomHarness({ maxBoardBytes: 65_536 });
    const a = h.client(ana);
    await h.settle();
    for (let i = 0; i < 200; i++) postIdea(a.doc, ana, `a${i}`, 'x'.repeat(490));
    await h.settle();
    expect(a.refusals).toContain('BOARD_FULL');
    const stored = h.room.doc.getMap('ideas').size;
    expect(stored).toBeGreaterThan(50);
    expect(stored).toBeLessThan(200);
    expect(await attempt(facilitator, (doc) => doc.getMap('ideas').delete('a1'))).toEqual([]);
  });
});

describe('phase gate', () => {
  const gateIn = (phase: SessionRecord['phase']) => phaseGate(() => ({ ...openSession(5), phase }));
  let h: ReturnType<typeof roomHarness>;
  afterEach(() => h.close());

  it('lets people move an idea back to "Sin grupo" (clusterId = null) while clustering', async () => {
    let gate = gateIn('abierto');
    h = roomHarness({ writeGate: (ctx) => gate(ctx) });
    const a = h.client(ana);
    await h.settle();
    postIdea(a.doc, ana, 'i1', 'Agrupable');
    await h.settle();
    gate = gateIn('agrupacion');
    ideaOf(a.doc, 'i1')!.set('clusterId', 'c1');
    await h.settle();
    ideaOf(a.doc, 'i1')!.set('clusterId', null);
    await h.settle();
    expect(a.refusals).toEqual([]);
    expect(ideaOf(h.room.doc, 'i1')!.get('clusterId')).toBeNull();
    // Posting is still refused in this phase, with its clusterId = null.
    postIdea(a.doc, ana, 'i2', 'Tarde');
    await h.settle();
    expect(a.refusals).toEqual(['PHASE_FORBIDS']);
  });

  it('refuses unknown root keys in phases where participants write nothing', async () => {
    let gate = gateIn('votacion');
    h = roomHarness({ writeGate: (ctx) => gate(ctx) });
    for (const phase of ['votacion', 'cierre'] as const) {
      gate = gateIn(phase);
      const c = h.client(ana);
      await h.settle();
      c.doc.getMap('extension').set('k', phase);
      await h.settle();
      expect(c.refusals, phase).toEqual(['PHASE_FORBIDS']);
      c.disconnect();
    }
    expect(h.room.doc.getMap('extension').size).toBe(0);
  });
});
