import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { facilitator, identity, ideaOf, postIdea, roomHarness } from '../helpers/room.ts';

const ana = identity('ana');
const beto = identity('beto', { sector: 'mipyme' });

/**
 * What honest clients send after working offline (or after a server restart while typing): their
 * doc has garbage-collected the values they overwrote, so the update carries them as deleted
 * content. The server must judge what the update does, not refuse the whole batch.
 */
describe('offline edits reach the board', () => {
  let h: ReturnType<typeof roomHarness>;
  afterEach(() => h.close());

  const text = (doc: Y.Doc, id: string) => ideaOf(doc, id)?.get('text');

  it('accepts an idea edited twice offline, with an unrelated new idea in the same batch', async () => {
    h = roomHarness();
    const a = h.client(ana);
    postIdea(a.doc, ana, 'i1', 'Primera versión');
    a.disconnect();
    ideaOf(a.doc, 'i1')!.set('text', 'Segunda versión');
    ideaOf(a.doc, 'i1')!.set('text', 'Tercera versión, sin error de tipeo');
    postIdea(a.doc, ana, 'i2', 'Una idea nueva escrita sin conexión');
    a.reconnect();
    await h.settle();
    expect(a.refusals).toEqual([]);
    expect(text(h.room.doc, 'i1')).toBe('Tercera versión, sin error de tipeo');
    expect(text(h.room.doc, 'i2')).toBe('Una idea nueva escrita sin conexión');
  });

  it('accepts an idea moved twice offline and a field set twice in one transaction online', async () => {
    h = roomHarness();
    const a = h.client(ana);
    const b = h.client(beto);
    postIdea(a.doc, ana, 'i1', 'Huertos comunitarios');
    await h.settle(); // Beto receives it once it is stored
    b.disconnect();
    ideaOf(b.doc, 'i1')!.set('clusterId', 'c1');
    ideaOf(b.doc, 'i1')!.set('clusterId', 'c2');
    b.reconnect();
    await h.settle();
    expect(b.refusals).toEqual([]);
    expect(ideaOf(h.room.doc, 'i1')!.get('clusterId')).toBe('c2');

    a.doc.transact(() => {
      ideaOf(a.doc, 'i1')!.set('text', 'Huertos');
      ideaOf(a.doc, 'i1')!.set('text', 'Huertos comunitarios en cada villa');
    });
    expect(a.refusals).toEqual([]);
    expect(text(h.room.doc, 'i1')).toBe('Huertos comunitarios en cada villa');
  });

  it('accepts Backspace in a proposal section written offline', async () => {
    h = roomHarness();
    await h.room.serverWrite('sections', (doc) => doc.getMap('proposal').set('problema', new Y.Text()));
    const a = h.client(ana);
    a.disconnect();
    const section = a.doc.getMap('proposal').get('problema') as Y.Text;
    section.insert(0, 'Falta agua en Combarbalá');
    section.delete(section.length - 1, 1);
    section.insert(section.length, 'á.');
    a.reconnect();
    await h.settle();
    expect(a.refusals).toEqual([]);
    expect((h.room.doc.getMap('proposal').get('problema') as Y.Text).toString()).toBe('Falta agua en Combarbalá.');
  });

  it('accepts an idea created and deleted while offline (nothing reaches the board)', async () => {
    h = roomHarness();
    const a = h.client(ana);
    a.disconnect();
    postIdea(a.doc, ana, 'gone', 'Me arrepentí');
    a.doc.getMap('ideas').delete('gone');
    postIdea(a.doc, ana, 'kept', 'Esta sí');
    a.reconnect();
    await h.settle();
    expect(a.refusals).toEqual([]);
    expect(h.room.doc.getMap('ideas').has('gone')).toBe(false);
    expect(text(h.room.doc, 'kept')).toBe('Esta sí');
  });

  it('still refuses deleted content where a delete by that writer would not be allowed', async () => {
    h = roomHarness();
    const a = h.client(ana);
    const b = h.client(beto);
    postIdea(a.doc, ana, 'i1', 'De Ana');
    await h.settle(); // Beto receives it once it is stored
    b.disconnect();
    // Beto overwrites Ana's text twice offline: both values are his, the first one now deleted.
    ideaOf(b.doc, 'i1')!.set('text', 'De Beto');
    ideaOf(b.doc, 'i1')!.set('text', 'De Beto otra vez');
    b.reconnect();
    await h.settle();
    expect(b.refusals).toEqual(['NOT_YOUR_IDEA']);
    expect(text(h.room.doc, 'i1')).toBe('De Ana');

    // Only the deleted value, with no live one after it: it would leave the idea without text.
    const c = h.client(facilitator);
    await h.settle();
    c.disconnect();
    ideaOf(c.doc, 'i1')!.set('text', 'x');
    ideaOf(c.doc, 'i1')!.delete('text');
    c.reconnect();
    await h.settle();
    expect(c.refusals).toEqual(['INVALID_SHAPE']);
    expect(text(h.room.doc, 'i1')).toBe('De Ana');
  });
});
