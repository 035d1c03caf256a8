import { outdatedTimeout } from 'y-protocols/awareness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRESENCE_RENEWAL_JITTER_MS, PRESENCE_RENEWAL_MS, PRESENCE_RENEWAL_SWEEP_MS } from '../../server/src/sync/wire-cadence.ts';
import { connectBoard, createWorkshop, join, type BoardClient } from '../helpers/clients.ts';
import { openRaw, presenceMessage } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

type AwarenessEvent = { added: number[]; updated: number[]; removed: number[] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * y-protocols renews an unchanged presence every 15–18 s (half its 30 s timeout, checked every
 * 3 s). Watched for this long after Ana's last change, the classic relay shows Beto two renewals
 * of hers (at 15–18 s and 30–36 s); Minga holds them back to one relay per renewal window.
 */
const WATCH_MS = 37_000;

describe('presence renewals (issue 10, yjs#732)', () => {
  let server: TestServer;
  const cleanup: (() => void)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) fn();
    await server.close();
  });

  it('relays an unchanged renewal once per window, keeps an idle client visible past 30 s, and still removes clients that leave', { timeout: 60_000 }, async () => {
    // The window and its jitter fit under the peers' timeout, as the relay cadence needs.
    expect(PRESENCE_RENEWAL_MS + PRESENCE_RENEWAL_JITTER_MS + PRESENCE_RENEWAL_SWEEP_MS).toBeLessThan(outdatedTimeout - 3_000);
    // …and past the client's own renewal, so that holding one back means something.
    expect(PRESENCE_RENEWAL_MS).toBeGreaterThan(outdatedTimeout / 2 + outdatedTimeout / 10);

    server = await startServer();
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const [ana, beto, carla, mallory] = await Promise.all(['Ana', 'Beto', 'Carla', 'Mallory'].map((name) => join(server.url, ws.code, { name })));
    const clients: BoardClient[] = [ana, beto, carla].map((p) => connectBoard(server.wsUrl, boardId, p!.token));
    cleanup.push(...clients.map((c) => () => c.destroy()));
    const [a, b, c] = clients as [BoardClient, BoardClient, BoardClient];
    await Promise.all(clients.map((x) => x.synced));
    const aId = a.doc.clientID;
    const cId = c.doc.clientID;

    // What Beto's awareness hears of the others: state changes, renewals, removals (and by whom).
    const renewalsOfAna: number[] = [];
    const removals: { id: number; origin: unknown }[] = [];
    let changesOfAna = 0;
    b.provider.awareness.on('change', ({ updated, added }: AwarenessEvent) => {
      if (updated.includes(aId) || added.includes(aId)) changesOfAna++;
    });
    b.provider.awareness.on('update', ({ updated }: AwarenessEvent, origin: unknown) => {
      if (updated.includes(aId) && origin !== 'local') renewalsOfAna.push(b.provider.awareness.meta.get(aId)!.clock);
    });
    b.provider.awareness.on('change', ({ removed }: AwarenessEvent, origin: unknown) => {
      for (const id of removed) removals.push({ id, origin });
    });

    // A raw client that shows a presence once and then never renews it (a frozen tab).
    const frozen = openRaw(server.wsUrl, boardId, mallory!.token);
    cleanup.push(() => frozen.ws.close());
    await frozen.opened;
    const frozenId = 424_242;
    frozen.send(presenceMessage([{ client: frozenId, clock: 1, state: { focus: null } }]));

    a.provider.awareness.setLocalStateField('focus', 'desafio-6-p1');
    c.provider.awareness.setLocalStateField('focus', 'desafio-6-p2');
    await vi.waitFor(() => {
      expect(b.provider.awareness.getStates().get(aId)).toMatchObject({ focus: 'desafio-6-p1', user: { id: ana!.participantId } });
      expect(b.provider.awareness.getStates().get(cId)).toMatchObject({ focus: 'desafio-6-p2' });
      expect(b.provider.awareness.getStates().has(frozenId)).toBe(true);
    });
    const changesBefore = changesOfAna;
    renewalsOfAna.length = 0;
    const watchedFrom = Date.now();

    // Carla closes her tab after her first renewal reached the server (and was held there): the
    // removal is relayed at once, not left to the peers' timeout.
    await sleep(outdatedTimeout / 2 + outdatedTimeout / 10 + 500);
    const room = server.app.rooms.peek(boardId)!;
    expect(room.awareness.meta.get(cId)!.clock).toBeGreaterThan(1);
    c.provider.awareness.setLocalState(null);
    c.destroy();
    await vi.waitFor(() => expect(b.provider.awareness.getStates().has(cId)).toBe(false), { timeout: 5_000 });
    expect(removals.find((r) => r.id === cId)?.origin).not.toBe('timeout');

    // Ana stays idle; Beto must see her the whole time, through his own 30 s timeout.
    while (Date.now() - watchedFrom < WATCH_MS) {
      expect(b.provider.awareness.getStates().get(aId)).toMatchObject({ focus: 'desafio-6-p1' });
      await sleep(1_000);
    }
    expect(removals.some((r) => r.id === aId)).toBe(false);
    expect(changesOfAna).toBe(changesBefore);
    // Ana renewed twice in the window (the server heard both); Beto heard one of them.
    expect(room.awareness.meta.get(aId)!.clock).toBeGreaterThanOrEqual(a.provider.awareness.meta.get(aId)!.clock);
    expect(a.provider.awareness.meta.get(aId)!.clock).toBeGreaterThanOrEqual(3);
    expect(renewalsOfAna).toHaveLength(1);

    // The frozen presence timed out on the server, which told the peers.
    expect(b.provider.awareness.getStates().has(frozenId)).toBe(false);
    expect(room.awareness.getStates().has(frozenId)).toBe(false);
  });
});
