import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createDb } from '../../db/client.ts';
import type { Identity } from '../../server/src/auth/identity.ts';
import { Connection } from '../../server/src/sync/connection.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { Room } from '../../server/src/sync/room.ts';
import { openBoard, type Log } from '../../server/src/sync/types.ts';
import { inspectUpdate } from '../../server/src/sync/update-inspector.ts';

const ana: Identity = { role: 'participant', id: 'ana', workshopId: 'w', workshopCode: 'ABCDEF', name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' };
const beto: Identity = { ...ana, id: 'beto', name: 'Beto', sector: 'mipyme' };
const facilitator: Identity = { ...ana, role: 'facilitator', id: 'fac-w', name: 'Facilitación', sector: 'otro' };

const quiet: Log = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };

/**
 * A real Room (over an in-memory SQLite) and one real Connection per person, so these tests
 * judge updates exactly as the server does, clientID ownership included.
 */
function board() {
  const { sqlite } = createDb(':memory:');
  const options = { compactEveryUpdates: 1_000_000, batchWrites: false, broadcastIntervalMs: 0, awarenessIntervalMs: 0, compactionHoldMs: 0, writeGate: openBoard, maxBoardBytes: 64 * 1_048_576 };
  const storage = new SqliteBoardStorage(sqlite);
  const room = Room.open('board1', storage.loadNow('board1'), storage, options, quiet);
  const server = room.doc;
  const connections = new Map<string, Connection>();
  const connectionOf = (who: Identity) => {
    let c = connections.get(who.id);
    if (!c) connections.set(who.id, (c = new Connection({ send() {}, close() {} }, who, room, quiet, { take: () => true })));
    return c;
  };
  /** Judges what `change` does on a client synced with the server; the room applies it if accepted. */
  const judge = (writer: Identity, client: Y.Doc, change: (doc: Y.Doc) => void) => {
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
    const sv = Y.encodeStateVector(client);
    change(client);
    const refused = room.receiveUpdate(connectionOf(writer), Y.encodeStateAsUpdate(client, sv));
    return refused ? refused.code : 'accepted';
  };
  return { server, room, judge, connectionOf };
}

function idea(doc: Y.Doc, who: Identity, id: string, text: string) {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    doc.getMap('ideas').set(id, m);
    m.set('text', text);
    m.set('questionId', 'q1');
    m.set('clusterId', null);
    m.set('authorId', who.id);
    m.set('authorName', who.name);
    m.set('sector', who.sector);
    m.set('createdAt', 1);
  });
}

describe('update inspection and board rules', () => {
  it('accepts a well-formed idea and an edit by its author', () => {
    const { judge, server } = board();
    const a = new Y.Doc();
    expect(judge(ana, a, (d) => idea(d, ana, 'i1', 'Hola'))).toBe('accepted');
    expect(judge(ana, a, (d) => (d.getMap('ideas').get('i1') as Y.Map<unknown>).set('text', 'Hola mundo'))).toBe('accepted');
    expect((server.getMap('ideas').get('i1') as Y.Map<unknown>).get('text')).toBe('Hola mundo');
  });

  it('refuses any write to votes or participants', () => {
    const { judge } = board();
    expect(judge(ana, new Y.Doc(), (d) => d.getMap('votes').set('i1|ana', 1))).toBe('VOTES_SERVER_ONLY');
    expect(judge(ana, new Y.Doc(), (d) => d.getMap('participants').set('ana', { name: 'x' }))).toBe('PARTICIPANTS_SERVER_ONLY');
    expect(judge(facilitator, new Y.Doc(), (d) => d.getMap('votes').set('i1|ana', 1))).toBe('VOTES_SERVER_ONLY');
  });

  it('refuses deleting a vote the server wrote', () => {
    const { judge, room } = board();
    room.serverWrite('vote cast', (d) => d.getMap('votes').set('i1|beto', 2));
    expect(judge(ana, new Y.Doc(), (d) => d.getMap('votes').delete('i1|beto'))).toBe('VOTES_SERVER_ONLY');
  });

  it('refuses oversize text: ideas over 500 characters, group names over 120', () => {
    const { judge } = board();
    expect(judge(ana, new Y.Doc(), (d) => idea(d, ana, 'i1', 'x'.repeat(500)))).toBe('accepted');
    expect(judge(ana, new Y.Doc(), (d) => idea(d, ana, 'i2', 'x'.repeat(501)))).toBe('IDEA_TOO_LONG');
    const cluster = (title: string) => (d: Y.Doc) => {
      const m = new Y.Map<unknown>();
      d.getMap('clusters').set(title.slice(0, 8), m);
      m.set('title', title);
      m.set('questionId', 'q1');
    };
    expect(judge(ana, new Y.Doc(), cluster('y'.repeat(120)))).toBe('accepted');
    expect(judge(ana, new Y.Doc(), cluster('z'.repeat(121)))).toBe('TITLE_TOO_LONG');
  });

  it("refuses an idea signed with another person's id, name or sector", () => {
    const { judge } = board();
    expect(judge(ana, new Y.Doc(), (d) => idea(d, beto, 'i1', 'x'))).toBe('AUTHOR_MISMATCH');
    expect(judge(ana, new Y.Doc(), (d) => idea(d, { ...ana, name: 'Beto' }, 'i2', 'x'))).toBe('AUTHOR_MISMATCH');
    expect(judge(ana, new Y.Doc(), (d) => idea(d, { ...ana, sector: 'universidad' }, 'i3', 'x'))).toBe('AUTHOR_MISMATCH');
  });

  it("lets anyone move another's idea into a group but not edit, re-sign or delete it", () => {
    const { judge } = board();
    const a = new Y.Doc();
    const b = new Y.Doc();
    judge(ana, a, (d) => idea(d, ana, 'i1', 'De Ana'));
    const field = (key: string, value: unknown) => (d: Y.Doc) => (d.getMap('ideas').get('i1') as Y.Map<unknown>).set(key, value);
    expect(judge(beto, b, field('clusterId', 'c1'))).toBe('accepted');
    expect(judge(beto, new Y.Doc(), field('text', 'De Beto'))).toBe('NOT_YOUR_IDEA');
    expect(judge(beto, new Y.Doc(), field('authorId', 'beto'))).toBe('NOT_YOUR_IDEA');
    expect(judge(beto, new Y.Doc(), (d) => d.getMap('ideas').delete('i1'))).toBe('NOT_YOUR_IDEA');
    expect(judge(beto, new Y.Doc(), (d) => idea(d, beto, 'i1', 'reemplazo'))).toBe('NOT_YOUR_IDEA');
    expect(judge(facilitator, new Y.Doc(), field('text', 'Corregida'))).toBe('accepted');
    expect(judge(facilitator, new Y.Doc(), (d) => d.getMap('ideas').delete('i1'))).toBe('accepted');
  });

  it('refuses wrong shapes: a list where the contract has a map, nested types inside an idea', () => {
    const { judge } = board();
    expect(judge(ana, new Y.Doc(), (d) => d.getMap('ideas').set('i1', 'plain string'))).toBe('INVALID_SHAPE');
    expect(judge(ana, new Y.Doc(), (d) => d.getArray('ideas').push(['x']))).toBe('INVALID_SHAPE');
    expect(
      judge(ana, new Y.Doc(), (d) => {
        idea(d, ana, 'i2', 'x');
        (d.getMap('ideas').get('i2') as Y.Map<unknown>).set('text', new Y.Text('rich'));
      })
    ).toBe('INVALID_SHAPE');
  });

  it('refuses garbage bytes and updates that depend on content the server lacks', () => {
    const { server } = board();
    expect(inspectUpdate(server, new Uint8Array([1, 2, 3, 250, 255, 255, 255]))).toMatchObject({ ok: false });
    const a = new Y.Doc();
    idea(a, ana, 'i1', 'one');
    const sv = Y.encodeStateVector(a);
    (a.getMap('ideas').get('i1') as Y.Map<unknown>).set('text', 'two');
    // Only the second change, without the first: its parent is unknown to the server.
    expect(inspectUpdate(server, Y.encodeStateAsUpdate(a, sv))).toMatchObject({ ok: false, code: 'MISSING_DEPENDENCY' });
  });

  it('refuses deleting content the server does not have yet (pre-emptive deletes)', () => {
    const { server } = board();
    const other = new Y.Doc();
    other.clientID = 123;
    other.getText('t').insert(0, 'a'.repeat(100));
    other.getText('t').delete(0, 100);
    // No structs, only the delete set of client 123, whose content the server never received.
    const deletesOnly = Y.encodeStateAsUpdate(other, Y.encodeStateVector(other));
    expect(inspectUpdate(server, deletesOnly)).toMatchObject({ ok: false, code: 'MISSING_DEPENDENCY' });
  });

  it('accepts typing into a section text that lost a concurrent creation (it integrates as deleted)', () => {
    const { judge, server, room, connectionOf } = board();
    const a = new Y.Doc();
    const b = new Y.Doc();
    // Each creates the same empty section; the first typing into an empty text names the text
    // itself as its parent.
    const create = (d: Y.Doc) => d.getMap('proposal').set('x', new Y.Text());
    expect(judge(ana, a, create)).toBe('accepted');
    // b never saw a's text: judge() would sync it first, so apply b's concurrent creation by hand.
    // (Replacing a section a participant can see is a facilitator's call: the rules refuse it to others.)
    create(b);
    expect(room.receiveUpdate(connectionOf(beto), Y.encodeStateAsUpdate(b))?.code).toBe('INVALID_SHAPE');
    expect(room.receiveUpdate(connectionOf(facilitator), Y.encodeStateAsUpdate(b))).toBeNull();
    // Whichever text lost, its author keeps typing into it; the server accepts (as a no-op).
    for (const d of [a, b]) {
      const sv = Y.encodeStateVector(d);
      (d.getMap('proposal').get('x') as Y.Text).insert(0, 'más ');
      expect(inspectUpdate(server, Y.encodeStateAsUpdate(d, sv))).toMatchObject({ ok: true });
    }
  });

  it("refuses writing under a clientID another person wrote with, or spoke for on presence alone", () => {
    const { judge, room, connectionOf } = board();
    const a = new Y.Doc();
    expect(judge(ana, a, (d) => idea(d, ana, 'i1', 'De Ana'))).toBe('accepted');
    // Beto's doc, once synced, continues Ana's clientID.
    const underAna = (d: Y.Doc) => {
      d.clientID = a.clientID;
      idea(d, beto, 'i2', 'con la firma de Ana');
    };
    expect(judge(beto, new Y.Doc(), underAna)).toBe('CLIENT_ID_TAKEN');

    // Ana's second tab only shows presence; its clientID is hers all the same.
    const reader = new Y.Doc();
    const presence = new Awareness(reader);
    presence.setLocalState({ focus: null });
    room.receiveAwareness(connectionOf(ana), encodeAwarenessUpdate(presence, [reader.clientID]));
    const underReader = (d: Y.Doc) => {
      d.clientID = reader.clientID;
      idea(d, beto, 'i3', 'con el id del lector');
    };
    expect(judge(beto, new Y.Doc(), underReader)).toBe('CLIENT_ID_TAKEN');
    expect(judge(ana, reader, (d) => idea(d, ana, 'i4', 'Ana escribe por fin'))).toBe('accepted');
    presence.destroy();
  });

  it('keeps unknown root keys (the contract says they are kept and ignored)', () => {
    const { judge } = board();
    expect(judge(ana, new Y.Doc(), (d) => d.getMap('extension').set('k', 'v'))).toBe('accepted');
  });
});
