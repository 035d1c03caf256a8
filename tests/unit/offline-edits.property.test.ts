import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { facilitator, identity, postIdea, roomHarness, type HarnessClient } from '../helpers/room.ts';

const people = [identity('ana'), identity('beto', { sector: 'universidad' }), facilitator];

/** Everything an honest person does on a board, by the board contract, online or offline. */
type Step =
  | { t: 'post' | 'edit' | 'delete'; who: number; slot: number; text: string }
  | { t: 'twice'; who: number; slot: number; text: string; again: string }
  | { t: 'move'; who: number; pick: number; cluster: number }
  | { t: 'group' | 'rename' | 'ungroup'; who: number; slot: number; text: string }
  | { t: 'type'; who: number; pos: number; text: string }
  | { t: 'erase'; who: number; pos: number; len: number }
  | { t: 'offline' | 'online'; who: number };

const who = fc.integer({ min: 0, max: people.length - 1 });
const slot = fc.integer({ min: 0, max: 3 });
const text = fc.string({ minLength: 1, maxLength: 12 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constantFrom('post', 'edit', 'delete'), who, slot, text }),
  fc.record({ t: fc.constant('twice'), who, slot, text, again: text }),
  fc.record({ t: fc.constant('move'), who, pick: fc.nat(20), cluster: fc.integer({ min: -1, max: 20 }) }),
  fc.record({ t: fc.constantFrom('group', 'rename', 'ungroup'), who, slot, text }),
  fc.record({ t: fc.constant('type'), who, pos: fc.nat(40), text }),
  fc.record({ t: fc.constant('erase'), who, pos: fc.nat(40), len: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ t: fc.constantFrom('offline', 'online'), who })
);

const ideaKey = (c: HarnessClient, n: number) => `${c.who.id}-i${n}`;
const clusterKey = (c: HarnessClient, n: number) => `${c.who.id}-c${n}`;
const ideasOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('ideas');
const mayEdit = (c: HarnessClient, idea: Y.Map<unknown>) => c.who.role === 'facilitator' || idea.get('authorId') === c.who.id;

/** Applies one step the way the web app writes (web/src/lib/state/board-doc.svelte.ts). */
function apply(s: Step, clients: HarnessClient[]): void {
  const c = clients[s.who]!;
  const { doc } = c;
  const ideas = ideasOf(doc);
  const clusters = doc.getMap<Y.Map<unknown>>('clusters');
  const section = doc.getMap('proposal').get('problema') as Y.Text;
  switch (s.t) {
    case 'post':
      if (!ideas.has(ideaKey(c, s.slot))) postIdea(doc, c.who, ideaKey(c, s.slot), s.text);
      return;
    case 'edit': {
      // Facilitators edit anyone's ideas; people edit their own.
      const all = [...ideas.values()].filter((m) => mayEdit(c, m));
      const idea = all[s.slot % Math.max(1, all.length)];
      if (idea && idea.get('text') !== s.text) idea.set('text', s.text);
      return;
    }
    case 'twice': {
      const idea = ideas.get(ideaKey(c, s.slot));
      if (idea) doc.transact(() => (idea.set('text', s.text), idea.set('text', s.again)));
      return;
    }
    case 'delete': {
      const all = [...ideas.entries()].filter(([, m]) => mayEdit(c, m));
      const hit = all[s.slot % Math.max(1, all.length)];
      if (hit) ideas.delete(hit[0]);
      return;
    }
    case 'move': {
      const all = [...ideas.values()];
      const idea = all[s.pick % Math.max(1, all.length)];
      const keys = [...clusters.keys()];
      const target = s.cluster < 0 || keys.length === 0 ? null : keys[s.cluster % keys.length]!;
      if (idea && (idea.get('clusterId') ?? null) !== target) idea.set('clusterId', target);
      return;
    }
    case 'group':
      if (!clusters.has(clusterKey(c, s.slot))) {
        doc.transact(() => {
          const m = new Y.Map<unknown>();
          clusters.set(clusterKey(c, s.slot), m);
          m.set('title', s.text);
          m.set('questionId', 'q1');
          m.set('createdAt', 1_764_000_000_000);
        });
      }
      return;
    case 'rename': {
      const all = [...clusters.values()];
      all[s.slot % Math.max(1, all.length)]?.set('title', s.text);
      return;
    }
    case 'ungroup': {
      const keys = [...clusters.keys()];
      const id = keys[s.slot % Math.max(1, keys.length)];
      if (id === undefined) return;
      doc.transact(() => {
        ideas.forEach((m) => {
          if (m.get('clusterId') === id) m.set('clusterId', null);
        });
        clusters.delete(id);
      });
      return;
    }
    case 'type':
      section.insert(Math.min(s.pos, section.length), s.text);
      return;
    case 'erase': {
      if (section.length === 0) return;
      const at = Math.min(s.pos, section.length - 1);
      section.delete(at, Math.min(s.len, section.length - at));
      return;
    }
    case 'offline':
      c.disconnect();
      return;
    case 'online':
      c.reconnect();
      return;
  }
}

const content = (doc: Y.Doc) => ({
  ideas: ideasOf(doc).toJSON(),
  clusters: doc.getMap('clusters').toJSON(),
  problema: String(doc.getMap('proposal').get('problema'))
});

describe('random offline edits by several people (property)', () => {
  it('syncs every honest change and converges with the server and its log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const h = roomHarness();
        try {
          h.room.serverWrite('sections', (doc) => doc.getMap('proposal').set('problema', new Y.Text()));
          const clients = people.map((p) => h.client(p));
          await h.settle();
          for (const s of steps) {
            apply(s, clients);
            await h.settle();
          }
          for (const c of clients) c.reconnect();
          await h.settle();
          for (const c of clients) expect(c.refusals).toEqual([]);
          const server = content(h.room.doc);
          for (const c of clients) expect(content(c.doc)).toEqual(server);
          // What was stored replays into the same board.
          const stored = await h.log.load('board1');
          const replay = new Y.Doc();
          if (stored.snapshot) Y.applyUpdate(replay, stored.snapshot);
          for (const u of stored.updates) Y.applyUpdate(replay, u.data);
          expect(content(replay)).toEqual(server);
        } finally {
          h.close();
        }
      }),
      { numRuns: 200 }
    );
  });
});
