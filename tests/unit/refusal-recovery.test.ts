import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { phaseGate } from '../../server/src/sessions/phase-gate.ts';
import { openSession, type SessionRecord } from '../../server/src/sessions/session-state.ts';
import { carryOver, pendingChanges } from '../../web/src/lib/sync/rebase.ts';
import { identity, ideaOf, postIdea, roomHarness } from '../helpers/room.ts';

const ana = identity('ana');
const beto = identity('beto', { sector: 'mipyme' });

/**
 * The web app's recovery from a refused update (web/src/lib/sync/rebase.ts) against the real
 * room: a fresh doc synced from the server, then what the old doc held that the server never
 * accepted, carried over one change at a time.
 */
describe('recovering from a refused update', () => {
  let h: ReturnType<typeof roomHarness>;
  afterEach(() => h.close());

  it('keeps every valid offline change when one of them is refused, and gives back the refused one', async () => {
    let phase: SessionRecord['phase'] = 'abierto';
    const gate = phaseGate(() => ({ ...openSession(5), phase }));
    h = roomHarness({ writeGate: (ctx) => gate(ctx) });
    h.room.serverWrite('sections', (doc) => doc.getMap('proposal').set('problema', new Y.Text('Texto de base.')));
    const b = h.client(beto);
    const a = h.client(ana);
    await h.settle();
    postIdea(a.doc, ana, 'mine', 'Primera versión');
    postIdea(b.doc, beto, 'his', 'Idea de Beto');
    await h.settle();

    // Ana works offline; meanwhile the facilitator starts ideation (posting yes, grouping no).
    a.disconnect();
    postIdea(a.doc, ana, 'offline', 'Escrita sin conexión');
    ideaOf(a.doc, 'mine')!.set('text', 'Segunda versión');
    ideaOf(a.doc, 'mine')!.set('text', 'Tercera versión');
    ideaOf(a.doc, 'his')!.set('clusterId', 'grupo-1');
    phase = 'ideacion';
    a.reconnect();
    await h.settle();
    expect(a.refusals).toEqual(['PHASE_FORBIDS']);
    expect(h.room.doc.getMap('ideas').has('offline')).toBe(false);

    // A stock client is now stuck: its next valid change depends on the refused one.
    postIdea(a.doc, ana, 'after', 'Después del rechazo');
    await h.settle();
    expect(a.refusals).toEqual(['PHASE_FORBIDS', 'MISSING_DEPENDENCY']);

    // Recovery, round 1: a fresh doc, then the old doc's pending changes one by one.
    const fresh = h.client(ana);
    await h.settle();
    const round1 = carryOver(a.doc, fresh.doc, new Set());
    a.disconnect();
    await h.settle();
    expect(round1.dropped).toEqual([]);
    const ideas = h.room.doc.getMap<Y.Map<unknown>>('ideas');
    expect(ideas.get('offline')?.get('text')).toBe('Escrita sin conexión');
    expect(ideas.get('after')?.get('text')).toBe('Después del rechazo');
    expect(ideas.get('mine')?.get('text')).toBe('Tercera versión');
    expect(ideas.get('his')?.get('clusterId')).toBeNull();
    expect(fresh.refusals).toEqual(['PHASE_FORBIDS']);

    // Round 2 (the move was refused again, alone): nothing is carried twice, the move comes back.
    const again = h.client(ana);
    await h.settle();
    const round2 = carryOver(fresh.doc, again.doc, round1.carried);
    await h.settle();
    expect(round2.carried.size).toBe(0);
    expect(round2.dropped).toEqual([{ kind: 'set', root: 'ideas', id: 'his', fields: { clusterId: 'grupo-1' }, removed: [] }]);
    expect(again.refusals).toEqual([]);
    // Her next edits go through.
    postIdea(again.doc, ana, 'later', 'Más tarde');
    await h.settle();
    expect(again.refusals).toEqual([]);
    expect(ideas.has('later')).toBe(true);
  });

  it('carries text typed and erased in a section, around what others typed meanwhile', async () => {
    h = roomHarness();
    h.room.serverWrite('sections', (doc) => doc.getMap('proposal').set('problema', new Y.Text('Hay sequía.')));
    const a = h.client(ana);
    const b = h.client(beto);
    await h.settle();
    a.disconnect();
    const mine = a.doc.getMap('proposal').get('problema') as Y.Text;
    mine.delete(0, 3); // "Hay" → " sequía."
    mine.insert(0, 'Existe');
    mine.insert(mine.length, ' Falta agua.');
    (b.doc.getMap('proposal').get('problema') as Y.Text).insert(4, 'mucha ');
    await h.settle();

    const fresh = h.client(ana);
    await h.settle();
    expect(pendingChanges(a.doc, fresh.doc).map((c) => c.kind)).toEqual(['text']);
    carryOver(a.doc, fresh.doc, new Set());
    await h.settle();
    expect(fresh.refusals).toEqual([]);
    expect(String(h.room.doc.getMap('proposal').get('problema'))).toBe('Existe mucha sequía. Falta agua.');
    expect(String(b.doc.getMap('proposal').get('problema'))).toBe('Existe mucha sequía. Falta agua.');
  });

  it('does not bring back what someone else deleted meanwhile', async () => {
    h = roomHarness();
    const a = h.client(ana);
    const f = h.client(identity('fac-w1', { role: 'facilitator' }));
    await h.settle();
    postIdea(a.doc, ana, 'quitada', 'La facilitación la quita');
    await h.settle();
    a.disconnect();
    f.doc.getMap('ideas').delete('quitada');
    await h.settle();
    const fresh = h.client(ana);
    await h.settle();
    expect(pendingChanges(a.doc, fresh.doc)).toEqual([]);
  });
});
