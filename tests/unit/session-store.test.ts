import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boards as pgBoards, workshops as pgWorkshops } from '../../db/schema-pg/workshops.ts';
import { challenges as pgChallenges } from '../../db/schema-pg/challenges.ts';
import { boards, workshops } from '../../db/schema/workshops.ts';
import { seedDatabase } from '../../seed/seed.ts';
import type { SessionCommand } from '../../server/src/realtime/events.ts';
import { createPgSessionStore, createSessionStore, SessionConflictError, type SessionStore } from '../../server/src/sessions/session-store.ts';
import { openSession, type SessionRecord } from '../../server/src/sessions/session-state.ts';
import { Sessions } from '../../server/src/sessions/sessions.ts';
import { STORAGE_ENGINES, type EngineConnection, type EngineDb } from '../helpers/storage-engines.ts';

const MIN = 60_000;
const NOW = 1_000_000;
const cmd = (c: Record<string, unknown>) => ({ boardId: 'b', ...c }) as SessionCommand;

/** A session store on one connection (one process), with the board row its session refers to. */
async function storeOn(c: EngineConnection, withBoard: boolean): Promise<SessionStore> {
  if (c.engine === 'sqlite') {
    if (withBoard) {
      seedDatabase(c.sqlite.db);
      c.sqlite.db.insert(workshops).values({ id: 'w', code: 'ABCDEF', title: 't', createdAt: 0 }).run();
      c.sqlite.db.insert(boards).values({ id: 'b', workshopId: 'w', challengeId: 'desafio-1', position: 0, createdAt: 0 }).run();
    }
    return createSessionStore(c.sqlite.db);
  }
  if (withBoard) {
    const db = c.pg.db;
    await db.insert(pgChallenges).values({ id: 'c1', number: 1, sourceTitle: 's', title: 't', context: 'c', references: [] });
    await db.insert(pgWorkshops).values({ id: 'w', code: 'ABCDEF', title: 't', createdAt: 0 });
    await db.insert(pgBoards).values({ id: 'b', workshopId: 'w', challengeId: 'c1', position: 0, createdAt: 0 });
  }
  return createPgSessionStore(c.pg.db);
}

/** `save` as a promise on both engines (SQLite's throws at once, see SessionStore.save). */
const saving = async (store: SessionStore, record: SessionRecord, version: number) => store.save('b', record, version);

describe.each(STORAGE_ENGINES)('session store on $name', (engine) => {
  let db: EngineDb | null = null;
  beforeAll(() => engine.start(), 60_000);
  afterAll(() => engine.stop());
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('stores a record only over the version it was read at', async () => {
    db = await engine.open();
    const store = await storeOn(db.process(), true);
    const record: SessionRecord = openSession(5);
    expect(await store.save('b', record, 0)).toBe(1);
    await expect(saving(store, record, 0)).rejects.toBeInstanceOf(SessionConflictError);
    expect(await store.save('b', { ...record, locked: true }, 1)).toBe(2);
    await expect(saving(store, record, 1)).rejects.toBeInstanceOf(SessionConflictError);
    expect(await store.load('b')).toEqual({ record: { ...record, locked: true }, version: 2, undo: null });
  });

  it('keeps the "Deshacer" offer in the row until a save replaces or clears it', async () => {
    db = await engine.open();
    const store = await storeOn(db.process(), true);
    const record: SessionRecord = openSession(5);
    const offer = { tokenHash: 'ab'.repeat(32), record: { ...record, phase: 'votacion' as const }, at: NOW };
    await store.save('b', record, 0, offer);
    // Another process reads the same offer.
    const other = await storeOn(db.process(), false);
    expect((await other.load('b'))!.undo).toEqual(offer);
    // Left out: the offer stays; null: it is gone.
    await store.save('b', { ...record, locked: true }, 1);
    expect((await other.load('b'))!.undo).toEqual(offer);
    await store.save('b', record, 2, null);
    expect((await other.load('b'))!.undo).toBeNull();
  });

  it('keeps the record valid when two processes send conflicting commands, and both converge after a reload', async () => {
    db = await engine.open();
    const storeA = await storeOn(db.process(), true);
    const storeB = await storeOn(db.process(), false);
    const make = (store: SessionStore) => new Sessions(store, { voteBudget: 5, now: () => NOW, onChange() {} });
    const a = make(storeA);
    const b = make(storeB);
    await Promise.all([a.restore(), b.restore()]);

    // B has not heard of A's start: its lock is applied again on the row A stored.
    expect((await a.command('b', cmd({ action: 'start', plan: { ideacion: 10 } }))).ok).toBe(true);
    expect(b.get('b').phase).toBe('abierto');
    expect((await b.command('b', cmd({ action: 'lock' }))).ok).toBe(true);
    expect((await storeA.load('b'))!.record).toMatchObject({ phase: 'ideacion', status: 'running', locked: true, endsAt: NOW + 10 * MIN });

    // At once on both: neither change is lost, whichever stores first.
    await a.reload('b');
    const [paused, extended] = await Promise.all([a.command('b', cmd({ action: 'pause' })), b.command('b', cmd({ action: 'extend', minutes: 5 }))]);
    expect(paused.ok && extended.ok).toBe(true);
    const stored = (await storeA.load('b'))!;
    expect(stored.version).toBe(4);
    expect(stored.record).toMatchObject({ phase: 'ideacion', status: 'paused', remainingMs: 15 * MIN, locked: true, endsAt: null });

    await Promise.all([a.reload('b'), b.reload('b')]);
    expect(a.get('b')).toEqual(stored.record);
    expect(b.get('b')).toEqual(stored.record);
    a.stop();
    b.stop();
  });
});
