import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, ideaText, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';

const Q1 = 'desafio-6-p1';
const WAIT = { timeout: 15_000, interval: 50 };

/**
 * Two Minga processes on two ports sharing one database and one Redis (issue 13): clients on
 * either converge, control-plane changes and removals reach the other, and neither a Redis restart
 * nor `kill -9` of a process loses anything anyone saw.
 */
describe('two processes behind one database and one Redis', () => {
  let cluster: Cluster;
  const open: { destroy(): void }[] = [];
  const sockets: ControlSocket[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    for (const c of open) c.destroy();
    for (const s of sockets) s.close();
    await cluster?.stop();
  });

  const [A, B] = [() => cluster.nodes[0]!, () => cluster.nodes[1]!];

  async function workshop() {
    const w = await createWorkshop(A().url);
    const boardId = w.boards[0]!.id;
    const person = async (name: string) => {
      const j = await join(B().url, w.code, { name });
      return { ...j, who: { id: j.participantId, name, sector: 'comunidad' } };
    };
    return { w, boardId, person };
  }
  function board(wsUrl: string, boardId: string, token: string, doc?: Y.Doc): BoardClient {
    const c = connectBoard(wsUrl, boardId, token, doc);
    open.push(c);
    return c;
  }
  async function control(url: string, token: string) {
    const s = await connectControl(url, token);
    sockets.push(s);
    return s;
  }

  it('converges ideas, groups, votes and proposal text written through either process', async () => {
    const { w, boardId, person } = await workshop();
    const ana = await person('Ana');
    const beto = await person('Beto');
    const a = board(A().wsUrl, boardId, ana.token);
    const b = board(B().wsUrl, boardId, beto.token);
    await Promise.all([a.synced, b.synced]);

    const idea = postIdea(a.doc, ana.who, { text: 'Huertos en la escuela', questionId: Q1 });
    const group = createCluster(b.doc, { title: 'Alimentación', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(b.doc, idea)).toBe('Huertos en la escuela'), WAIT);
    await vi.waitFor(() => expect(a.doc.getMap('clusters').has(group)).toBe(true), WAIT);
    (a.doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'Sequía. ');
    (b.doc.getMap('proposal').get('solucion') as Y.Text).insert(0, 'Riego por goteo.');
    await vi.waitFor(() => expect(String(b.doc.getMap('proposal').get('problema'))).toBe('Sequía. '), WAIT);
    await vi.waitFor(() => expect(String(a.doc.getMap('proposal').get('solucion'))).toBe('Riego por goteo.'), WAIT);

    // A vote cast through B's control plane is written on B's room and reaches A's clients.
    const s = await control(B().url, beto.token);
    expect(await s.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: idea, delta: 1 })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(a.doc.getMap('votes').get(`${idea}|${beto.participantId}`)).toBe(1), WAIT);

    // Someone who opens the board later, on either process, reads all of it from storage.
    const late = board(A().wsUrl, boardId, w.facilitatorToken);
    await late.synced;
    await vi.waitFor(() => expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(b.doc)), WAIT);
    expect(late.doc.getMap('votes').get(`${idea}|${beto.participantId}`)).toBe(1);
  });

  it("relays a client's presence on A to the clients on B", async () => {
    const { boardId, person } = await workshop();
    const ana = await person('Ana');
    const beto = await person('Beto');
    const a = board(A().wsUrl, boardId, ana.token);
    const b = board(B().wsUrl, boardId, beto.token);
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('cursor', { ideaId: 'x1' });
    await vi.waitFor(() => expect(b.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ cursor: { ideaId: 'x1' } }), WAIT);
  });

  it('refuses writes on B while a facilitator on A has locked the board', async () => {
    const { w, boardId, person } = await workshop();
    const beto = await person('Beto');
    const b = board(B().wsUrl, boardId, beto.token);
    await b.synced;
    const fac = await control(A().url, w.facilitatorToken);
    const watcher = await control(B().url, beto.token);
    expect(await watcher.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    const seen = new Promise<unknown>((resolve) => watcher.on('session:state', resolve));
    expect(await fac.emitWithAck('session:command', { boardId, action: 'lock' })).toMatchObject({ ok: true, state: { locked: true } });
    // The state reaches B's clients through the adapter; B's write gate follows the stored row.
    await vi.waitFor(() => expect(seen).resolves.toMatchObject({ boardId, locked: true }), WAIT);
    await vi.waitFor(async () => {
      postIdea(b.doc, beto.who, { text: 'Bloqueada', questionId: Q1 });
      await new Promise((r) => setTimeout(r, 100));
      expect(b.denials.map((d) => d.code)).toContain('BOARD_LOCKED');
    }, WAIT);
  });

  it('serialises two facilitators on two processes: twenty timer extensions at once, none lost, both processes agree', async () => {
    const { w, boardId } = await workshop();
    const onA = await control(A().url, w.facilitatorToken);
    const onB = await control(B().url, w.facilitatorToken);
    const started = await onA.emitWithAck('session:command', { boardId, action: 'start' });
    expect(started).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running' } });
    const endsAt = (started as { state: { endsAt: number } }).state.endsAt;
    const extend = (s: ControlSocket) => s.emitWithAck('session:command', { boardId, action: 'extend', minutes: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => [extend(onA), extend(onB)]).flat());
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    // Each process answers a newcomer from its own memory: both must hold the stored row.
    for (const url of [A().url, B().url]) {
      const s = await control(url, w.facilitatorToken);
      await vi.waitFor(async () => {
        const joined = await s.emitWithAck('board:join', { boardId });
        expect(joined).toMatchObject({ ok: true, state: { phase: 'ideacion', endsAt: endsAt + 20 * 60_000 } });
      }, WAIT);
    }
  });

  it('undoes through B a session ended through A (the facilitator reconnected to the other process)', async () => {
    const { w, boardId } = await workshop();
    const onA = await control(A().url, w.facilitatorToken);
    const started = await onA.emitWithAck('session:command', { boardId, action: 'start' });
    expect(started).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running' } });
    const ended = await onA.emitWithAck('session:command', { boardId, action: 'end' });
    expect(ended).toMatchObject({ ok: true, state: { phase: 'abierto' }, undoToken: expect.any(String) });
    const token = ended.ok ? ended.undoToken! : '';
    const onB = await control(B().url, w.facilitatorToken);
    expect(await onB.emitWithAck('session:command', { boardId, action: 'restore', undoToken: 'not-the-token' })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });
    expect(await onB.emitWithAck('session:command', { boardId, action: 'restore', undoToken: token })).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running' } });
    // Once: neither process takes the token again.
    for (const s of [onA, onB]) expect(await s.emitWithAck('session:command', { boardId, action: 'restore', undoToken: token })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });
  });

  it('disconnects a participant removed on A from both planes on B', async () => {
    const { w, boardId, person } = await workshop();
    const eva = await person('Eva');
    const b = board(B().wsUrl, boardId, eva.token);
    await b.synced;
    const evaControl = await control(B().url, eva.token);
    const removed = new Promise<unknown>((resolve) => evaControl.on('participant:removed', resolve));
    const gone = new Promise<string>((resolve) => evaControl.on('disconnect', resolve));
    const fac = await control(A().url, w.facilitatorToken);
    expect(await fac.emitWithAck('session:command', { boardId, action: 'remove', participantId: eva.participantId })).toMatchObject({ ok: true });
    await expect(removed).resolves.toMatchObject({ message: expect.stringMatching(/retiró/) });
    await expect(gone).resolves.toBe('io server disconnect');
    await vi.waitFor(() => expect(b.closes.map((c) => c.code)).toContain(4401), WAIT);
  });

  it('converges again, nothing lost, after Redis restarts mid-session', async () => {
    const { boardId, person } = await workshop();
    const ana = await person('Ana');
    const beto = await person('Beto');
    const a = board(A().wsUrl, boardId, ana.token);
    const b = board(B().wsUrl, boardId, beto.token);
    await Promise.all([a.synced, b.synced]);
    const before = postIdea(a.doc, ana.who, { text: 'Antes', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(b.doc, before)).toBe('Antes'), WAIT);

    // Written and stored while Redis is away: no process hears of the other's change then.
    const during: string[] = [];
    await cluster.redis.restart(async () => {
      during.push(postIdea(a.doc, ana.who, { text: 'Durante A', questionId: Q1 }), postIdea(b.doc, beto.who, { text: 'Durante B', questionId: Q1 }));
      await new Promise((r) => setTimeout(r, 300));
      expect(ideaText(b.doc, during[0]!)).toBeUndefined();
    });
    const after = [postIdea(a.doc, ana.who, { text: 'Después A', questionId: Q1 }), postIdea(b.doc, beto.who, { text: 'Después B', questionId: Q1 })];
    for (const id of [before, ...during, ...after]) {
      await vi.waitFor(() => expect(ideaText(a.doc, id)).toBeTypeOf('string'), WAIT);
      await vi.waitFor(() => expect(ideaText(b.doc, id)).toBeTypeOf('string'), WAIT);
    }
    // Fan-out works again (not only healing): a new idea arrives within a heartbeat.
    const next = postIdea(a.doc, ana.who, { text: 'Otra vez', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(b.doc, next)).toBe('Otra vez'), WAIT);
  }, 40_000);

  it('loses nothing anyone saw when one process is killed (-9) under load: its clients reconnect to the other', async () => {
    const { w, boardId, person } = await workshop();
    const writers = await Promise.all(['Ana', 'Beto', 'Carla'].map((name) => person(name)));
    const onA = writers.map((p) => ({ p, c: board(A().wsUrl, boardId, p.token) }));
    const observer = board(B().wsUrl, boardId, w.facilitatorToken);
    await Promise.all([...onA.map(({ c }) => c.synced), observer.synced]);

    let writing = true;
    const load = onA.map(async ({ p, c }) => {
      for (let i = 0; writing; i++) {
        postIdea(c.doc, p.who, { text: `${p.who.name} ${i}`, questionId: Q1 });
        await new Promise((r) => setTimeout(r, 15));
      }
    });
    await vi.waitFor(() => expect(observer.doc.getMap('ideas').size).toBeGreaterThan(30), WAIT);
    await A().kill9();
    writing = false;
    await Promise.all(load);
    const seenByObserver = [...observer.doc.getMap('ideas').keys()];

    // The providers of the dead process reconnect to B with their docs (and their unsent edits).
    const moved = onA.map(({ p, c }) => {
      c.provider.destroy();
      return board(B().wsUrl, boardId, p.token, c.doc);
    });
    await Promise.all(moved.map((c) => c.synced));
    const written = new Set(onA.flatMap(({ c }) => [...c.doc.getMap('ideas').keys()]));
    for (const id of seenByObserver) expect(written.has(id)).toBe(true);
    await vi.waitFor(() => expect(observer.doc.getMap('ideas').size).toBe(written.size), WAIT);
    // And a newcomer reads every one of them back from storage.
    const newcomer = board(B().wsUrl, boardId, w.facilitatorToken);
    await newcomer.synced;
    await vi.waitFor(() => expect([...newcomer.doc.getMap('ideas').keys()].sort()).toEqual([...written].sort()), WAIT);
  }, 60_000);
});
