import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectBoard, connectControl, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startPostgres, type PostgresServer } from '../helpers/engines/postgres.ts';
import { startRedis, type RedisServer } from '../helpers/engines/redis.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { MAX_OPEN_CASTS_WAITING } from '../../server/src/realtime/open-casts.ts';

const Q1 = 'desafio-6-p1';
const WAIT = { timeout: 10_000, interval: 50 };

/*
 * A blind voting round on PostgreSQL, through two real servers sharing one PostgreSQL and one
 * Redis (issue 13): the ballots and the closed rounds live in PostgreSQL beside the boards they
 * refer to, so dots cast through one server are revealed and stored as a round through the other.
 */
describe('blind voting rounds on PostgreSQL, through two servers', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let url: string;
  let a: TestServer;
  let b: TestServer;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    redis = await startRedis();
    url = await postgres.createDatabase('votes');
    const env = { DATABASE_URL: url, REDIS_URL: redis.url, MINGA_SECRET: 'v'.repeat(64) };
    [a, b] = [await startServer(env), await startServer(env)];
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const c of boards) c.destroy();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await postgres?.stop();
  });

  const control = async (server: TestServer, token: string) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    return s;
  };

  /** A new workshop's first board, with its facilitator's control socket joined on A. */
  async function facilitatedBoard() {
    const ws = await createWorkshop(a.url);
    const boardId = ws.boards[0]!.id;
    const fac = await control(a, ws.facilitatorToken);
    expect(await fac.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    const command = (cmd: Record<string, unknown>) => fac.emitWithAck('session:command', { boardId, ...cmd } as never);
    return { ws, boardId, fac, command };
  }

  /**
   * A board in its voting phase (blind or not) with five ideas, its facilitator's control socket
   * on A, and six voters joined through B.
   */
  async function votingThroughB(blind: boolean) {
    const { ws, boardId, fac, command } = await facilitatedBoard();
    const people = await Promise.all(['Ana', 'Bea', 'Caro', 'Dani', 'Eli', 'Fran'].map((name) => join(b.url, ws.code, { name, sector: 'comunidad' })));
    const writer = connectBoard(b.wsUrl, boardId, people[0]!.token);
    boards.push(writer);
    await writer.synced;
    const ideas = [1, 2, 3, 4, 5].map((n) => postIdea(writer.doc, { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' }, { text: `Idea ${n}`, questionId: Q1 }));
    await vi.waitFor(() => expect(a.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideas[4]!)).toBe(true), WAIT);
    await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, blindVoting: blind });
    await command({ action: 'next' });
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { blind } } });
    const voters = await Promise.all(people.map((p) => control(b, p.token)));
    await vi.waitFor(async () => expect(await voters[0]!.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, state: { phase: 'votacion' } }), WAIT);
    for (const v of voters.slice(1)) expect(await v.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    return { boardId, fac, command, ideas, voters };
  }

  it('stores the ballots cast through B, reveals them through A, and "Nueva ronda" stores the round in PostgreSQL', async () => {
    const { ws, boardId, fac, command } = await facilitatedBoard();

    const ana = await join(b.url, ws.code, { name: 'Ana', sector: 'comunidad' });
    const bea = await join(b.url, ws.code, { name: 'Bea', sector: 'universidad' });
    const anaBoard = connectBoard(b.wsUrl, boardId, ana.token);
    boards.push(anaBoard);
    await anaBoard.synced;
    const ideas = [1, 2].map((n) => postIdea(anaBoard.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: `Idea ${n}`, questionId: Q1 }));
    await vi.waitFor(() => expect(a.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideas[1]!)).toBe(true), WAIT);

    expect(await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, blindVoting: true })).toMatchObject({ ok: true });
    await command({ action: 'next' });
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { blind: true, revealed: false } } });

    const anaSocket = await control(b, ana.token);
    const beaSocket = await control(b, bea.token);
    // B hears of the voting phase through Redis.
    await vi.waitFor(async () => expect(await anaSocket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, state: { phase: 'votacion' } }), WAIT);
    expect(await beaSocket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    const cast = (s: ControlSocket, targetId: string) => s.emitWithAck('vote:cast', { boardId, targetId, delta: 1 });
    expect(await cast(anaSocket, ideas[0]!)).toEqual({ ok: true, remaining: 4, mine: { [ideas[0]!]: 1 } });
    expect(await cast(anaSocket, ideas[0]!)).toEqual({ ok: true, remaining: 3, mine: { [ideas[0]!]: 2 } });
    expect(await cast(beaSocket, ideas[1]!)).toEqual({ ok: true, remaining: 4, mine: { [ideas[1]!]: 1 } });
    // Off the board until the reveal, and a fresh join on A knows Ana's own dots.
    expect(anaBoard.doc.getMap('votes').size).toBe(0);
    const anaOnA = await control(a, ana.token);
    expect(await anaOnA.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { remaining: 3, mine: { [ideas[0]!]: 2 } } });

    expect(await command({ action: 'revealVotes' })).toMatchObject({ ok: true, state: { round: { blind: true, revealed: true } } });
    await vi.waitFor(
      () =>
        expect(anaBoard.doc.getMap('votes').toJSON()).toEqual({
          [`${ideas[0]}|${ana.participantId}`]: 2,
          [`${ideas[1]}|${bea.participantId}`]: 1
        }),
      WAIT
    );

    // "Nueva ronda" (blind again) closes the revealed round into the history.
    expect(await command({ action: 'round', blind: true })).toMatchObject({ ok: true, state: { round: { number: 3, blind: true, revealed: false } } });
    await vi.waitFor(() => expect(anaBoard.doc.getMap('votes').size).toBe(0), WAIT);
    await vi.waitFor(async () => expect(await cast(beaSocket, ideas[0]!)).toEqual({ ok: true, remaining: 4, mine: { [ideas[0]!]: 1 } }), WAIT);
    // And a blind round closed without a reveal is stored with its ballots' results.
    expect(await command({ action: 'round', blind: false })).toMatchObject({ ok: true, state: { round: { number: 4, blind: false } } });

    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed.ok && listed.rounds.map((r) => [r.number, r.blind, r.dots, r.voters, r.results[0]!.label])).toEqual([
      [2, true, 3, 2, 'Idea 1'],
      [3, true, 1, 1, 'Idea 1']
    ]);
    const json = await (await fetch(`${b.url}/api/boards/${boardId}/export.json`, { headers: { authorization: `Bearer ${ana.token}` } })).json();
    expect(json.rounds.map((r: { number: number; dots: number }) => [r.number, r.dots])).toEqual([
      [2, 3],
      [3, 1]
    ]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rounds = await client.query('SELECT number FROM vote_rounds WHERE board_id = $1 ORDER BY number', [boardId]);
      expect(rounds.rows.map((r: { number: string | number }) => Number(r.number))).toEqual([2, 3]);
      expect((await client.query('SELECT count(*)::int AS n FROM vote_ballots WHERE board_id = $1', [boardId])).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
    expect(a.app.sqlite.prepare('SELECT count(*) AS n FROM vote_rounds').get()).toEqual({ n: 0 });
  }, 60_000);

  it('loses no ballot cast while "Nueva ronda" stores the round: each acked dot is in the closed round', async () => {
    const { ws, boardId, fac, command } = await facilitatedBoard();
    const people = await Promise.all(['Ana', 'Bea', 'Caro'].map((name) => join(a.url, ws.code, { name, sector: 'comunidad' })));
    const writer = connectBoard(a.wsUrl, boardId, people[0]!.token);
    boards.push(writer);
    await writer.synced;
    const idea = postIdea(writer.doc, { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Idea', questionId: Q1 });
    await vi.waitFor(() => expect(a.app.rooms.peek(boardId)?.doc.getMap('ideas').has(idea)).toBe(true), WAIT);
    await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, blindVoting: true });
    await command({ action: 'next' });
    await command({ action: 'next' });
    const voters = await Promise.all(people.map((p) => control(a, p.token)));
    for (const v of voters) expect(await v.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });

    // Dots in flight on every side of the round change.
    const casts = voters.flatMap((v) => [1, 2, 3].map(() => v.emitWithAck('vote:cast', { boardId, targetId: idea, delta: 1 })));
    const changed = command({ action: 'round', blind: false });
    const acks = await Promise.all(casts);
    expect(await changed).toMatchObject({ ok: true, state: { round: { number: 3 } } });
    const counted = acks.filter((r) => r.ok).length;
    for (const r of acks) if (!r.ok) expect(r.error.code).toBe('VOTING_CLOSED');
    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed.ok ? listed.rounds.reduce((n, r) => n + r.dots, 0) : -1).toBe(counted);
    expect(await a.app.votes.ballots(boardId)).toEqual([]);
  }, 60_000);

  it('stores "Nueva ronda" through A while ballots keep arriving through B: the change is retried, not refused, and each acked dot is in the closed round', async () => {
    const { boardId, fac, command, ideas, voters } = await votingThroughB(true);

    // Each voter casts one dot after another through B while A stores the round change.
    let stop = false;
    const acked: boolean[] = [];
    const streams = voters.map(async (v, i) => {
      for (let n = 0; n < 5 && !stop; n++) {
        const r = await v.emitWithAck('vote:cast', { boardId, targetId: ideas[(i + n) % ideas.length]!, delta: 1 });
        if (!r.ok) expect(r.error.code).toBe('VOTING_CLOSED');
        acked.push(r.ok);
        if (!r.ok) return;
      }
    });
    await new Promise((r) => setTimeout(r, 5));
    const changed = await command({ action: 'round', blind: false });
    stop = true;
    await Promise.all(streams);
    expect(changed).toMatchObject({ ok: true, state: { round: { number: 3, blind: false } } });
    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed.ok ? listed.rounds.reduce((n, r) => n + r.dots, 0) : -1).toBe(acked.filter(Boolean).length);
    expect(await a.app.votes.ballots(boardId)).toEqual([]);
  }, 60_000);

  it('keeps one participant within the budget when they cast through A and B at once', async () => {
    const { ws, boardId, command } = await facilitatedBoard();
    const ana = await join(a.url, ws.code, { name: 'Ana', sector: 'comunidad' });
    const writer = connectBoard(a.wsUrl, boardId, ana.token);
    boards.push(writer);
    await writer.synced;
    const ideas = Array.from({ length: 10 }, (_, n) => postIdea(writer.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: `Idea ${n}`, questionId: Q1 }));
    await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, blindVoting: true });
    await command({ action: 'next' });
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { blind: true } } });
    const onA = await control(a, ana.token);
    const onB = await control(b, ana.token);
    expect(await onA.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(await onB.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, state: { phase: 'votacion' } }), WAIT);
    await vi.waitFor(() => expect(b.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(ideas.length), WAIT);

    // Her phone on A and her laptop on B each spend the whole budget (5 dots) at the same time.
    const casts = ideas.map((targetId, i) => (i % 2 === 0 ? onA : onB).emitWithAck('vote:cast', { boardId, targetId, delta: 1 }));
    const acks = await Promise.all(casts);
    for (const r of acks) if (!r.ok) expect(r.error.code).toBe('NO_DOTS_LEFT');
    const stored = await a.app.votes.ballotsOf(boardId, ana.participantId);
    expect(stored.reduce((n, x) => n + x.dots, 0)).toBe(5);
    expect(acks.filter((r) => r.ok)).toHaveLength(5);
  }, 60_000);

  it('in an open round too: one participant casting through A and B at once stays within the budget, and no dot on one idea is lost', async () => {
    const { ws, boardId, command } = await facilitatedBoard();
    const ana = await join(a.url, ws.code, { name: 'Ana', sector: 'comunidad' });
    const writer = connectBoard(a.wsUrl, boardId, ana.token);
    boards.push(writer);
    await writer.synced;
    const who = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const [one, other] = [postIdea(writer.doc, who, { text: 'Una', questionId: Q1 }), postIdea(writer.doc, who, { text: 'Otra', questionId: Q1 })];
    await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, blindVoting: false });
    await command({ action: 'next' });
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { blind: false } } });
    const onA = await control(a, ana.token);
    const onB = await control(b, ana.token);
    expect(await onA.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(await onB.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, state: { phase: 'votacion' } }), WAIT);
    await vi.waitFor(() => expect(b.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(2), WAIT);

    // Her phone on A and her laptop on B put dots on the same idea at the same time: 8 asked, 5 allowed.
    const casts = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? onA : onB).emitWithAck('vote:cast', { boardId, targetId: one, delta: 1 }));
    const acks = await Promise.all(casts);
    for (const r of acks) if (!r.ok) expect(r.error.code).toBe('NO_DOTS_LEFT');
    expect(acks.filter((r) => r.ok)).toHaveLength(5);
    const key = `${one}|${ana.participantId}`;
    for (const server of [a, b]) await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('votes').get(key)).toBe(5), WAIT);
    await vi.waitFor(() => expect(writer.doc.getMap('votes').toJSON()).toEqual({ [key]: 5 }), WAIT);
    // Redis forgetting what the last cast left (a restart) only makes the next cast read the board.
    const { Redis } = await import('ioredis');
    const r = new Redis(redis.url);
    await r.flushall();
    r.disconnect();
    // Withdrawing through one process and casting through the other at once: both count.
    const [back, again] = await Promise.all([
      onB.emitWithAck('vote:cast', { boardId, targetId: one, delta: -1 }),
      onA.emitWithAck('vote:cast', { boardId, targetId: other, delta: 1 })
    ]);
    expect(back.ok).toBe(true);
    // The dot on the other idea fits only if the withdrawal went first; either way the board adds up.
    const expected = { [key]: 4, ...(again.ok ? { [`${other}|${ana.participantId}`]: 1 } : {}) };
    if (!again.ok) expect(again.error.code).toBe('NO_DOTS_LEFT');
    for (const server of [a, b]) await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('votes').toJSON()).toEqual(expected), WAIT);
  }, 60_000);

  it('counts each open dot cast through B while "Nueva ronda" is stored through A exactly once: in the round closed, or on the board in the new one', async () => {
    const { boardId, fac, command, ideas, voters } = await votingThroughB(false);

    // Each voter puts two dots on one idea through B, and A has them all.
    let acked = 0;
    const cast = async (v: ControlSocket, targetId: string) => {
      const r = await v.emitWithAck('vote:cast', { boardId, targetId, delta: 1 });
      if (r.ok) acked++;
      else expect(r.error.code).toBe('NO_DOTS_LEFT');
    };
    for (const [i, v] of voters.entries()) for (let n = 0; n < 2; n++) await cast(v, ideas[i % ideas.length]!);
    const sum = (server: TestServer) => Object.values(server.app.rooms.peek(boardId)?.doc.getMap<number>('votes').toJSON() ?? {}).reduce((n, d) => n + d, 0);
    await vi.waitFor(() => expect(sum(a)).toBe(12), WAIT);
    // Then the processes' subscriptions drop (a flaky link to Redis): until they are back, B's dots
    // reach A, and A's new round reaches B, only through PostgreSQL. A closes the round while each
    // voter puts three more dots on the same idea through B.
    const { Redis } = await import('ioredis');
    const r = new Redis(redis.url);
    await r.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    r.disconnect();
    const changed = command({ action: 'round', blind: false });
    await Promise.all(voters.map(async (v, i) => {
      for (let n = 0; n < 3; n++) await cast(v, ideas[i % ideas.length]!);
    }));
    expect(await changed).toMatchObject({ ok: true, state: { round: { number: 3, blind: false } } });
    const listed = await fac.emitWithAck('rounds:list', { boardId });
    const closed = listed.ok ? listed.rounds.reduce((n, r) => n + r.dots, 0) : -1;
    for (const server of [a, b]) await vi.waitFor(() => expect(closed + sum(server)).toBe(acked), WAIT);
    expect(a.app.rooms.peek(boardId)?.doc.getMap('votes').toJSON()).toEqual(b.app.rooms.peek(boardId)?.doc.getMap('votes').toJSON());
  }, 60_000);

  it('lets no one participant hold up everyone else\'s open dots on a process: past a few waiting, more are refused at once', async () => {
    const { boardId, ideas, voters } = await votingThroughB(false);
    const [ana, bea] = [voters[0]!, voters[1]!];
    // Ana's 40 dots (given and taken back) at once, then one of Bea's, all through B.
    const order: string[] = [];
    const burst = Array.from({ length: 40 }, (_, i) =>
      ana.emitWithAck('vote:cast', { boardId, targetId: ideas[0]!, delta: i % 2 === 0 ? 1 : -1 }).then((r) => {
        order.push(!r.ok && r.error.code === 'RATE_LIMITED' ? 'ana refused' : 'ana');
        return r;
      })
    );
    const beas = bea.emitWithAck('vote:cast', { boardId, targetId: ideas[1]!, delta: 1 }).then((r) => {
      order.push('bea');
      return r;
    });
    const [acks, beaAck] = [await Promise.all(burst), await beas];
    expect(beaAck).toMatchObject({ ok: true });
    const refused = acks.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
    expect(refused).toBe(40 - MAX_OPEN_CASTS_WAITING - 1);
    // Bea waited for the cast of Ana's under way and the few of hers allowed to wait, no more.
    expect(order.slice(0, order.indexOf('bea')).filter((o) => o === 'ana').length).toBeLessThanOrEqual(MAX_OPEN_CASTS_WAITING + 1);
  }, 60_000);
});
