import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAdvisoryLock } from '../../server/src/sync/storage/pg-advisory-lock.ts';
import { startPostgres, type PostgresServer } from '../helpers/engines/postgres.ts';

/*
 * The lock that serialises a participant's open-round casts across processes (issue 13), on a
 * real PostgreSQL: two pools stand for two processes.
 */
describe('PgAdvisoryLock on PostgreSQL', () => {
  let postgres: PostgresServer;
  const pools: pg.Pool[] = [];
  const locks: PgAdvisoryLock[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('locks');
    for (let i = 0; i < 2; i++) {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      // As the server's pool does (db/pg.ts): a connection the backend ended after it went back to
      // the pool is reported there; unheard, it would end the process.
      pool.on('error', () => {});
      pools.push(pool);
      locks.push(new PgAdvisoryLock(pool));
    }
  }, 60_000);
  afterAll(async () => {
    for (const l of locks) await l.close();
    for (const p of pools) await p.end();
    await postgres?.stop();
  });

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs works on one key one at a time across both, while each goes on writing through its small pool', async () => {
    let inside = 0;
    let most = 0;
    const ran: number[] = [];
    const work = (lock: PgAdvisoryLock, pool: pg.Pool, n: number) =>
      lock.run('votes|b|p', async () => {
        most = Math.max(most, ++inside);
        // The work itself uses the pool (as the board log's append does) while the lock is held.
        await pool.query('SELECT pg_sleep(0.01)');
        await pause(5);
        inside--;
        ran.push(n);
        return n;
      });
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => work(locks[n % 2]!, pools[n % 2]!, n)));
    expect(results).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(ran).toHaveLength(12);
    expect(most).toBe(1);
  });

  it('lets other keys through on the other process while one is held', async () => {
    let release = () => {};
    const held = locks[0]!.run('votes|b|ana', () => new Promise<void>((r) => (release = r)));
    await pause(50);
    await expect(locks[1]!.run('votes|b|beto', async () => 'beto')).resolves.toBe('beto');
    release();
    await held;
  });

  it('goes on after its connection is killed: PostgreSQL drops the lock with it, the next work opens another', async () => {
    const killer = new pg.Client({ connectionString: await postgres.createDatabase('killer') });
    await killer.connect();
    try {
      let pid = 0;
      const failed = locks[0]!.run('votes|b|caro', async () => {
        const { rows } = await pools[0]!.query(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = (hashtextextended('votes|b|caro', 0) & 4294967295)::oid"
        );
        pid = Number(rows[0]?.pid);
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        await pause(100);
      });
      await failed; // the work ran; letting go of a lock on a dead connection is not its failure
      expect(pid).toBeGreaterThan(0);
      // The other process gets the key at once, and this one works again on a new connection.
      await expect(locks[1]!.run('votes|b|caro', async () => 'taken')).resolves.toBe('taken');
      await expect(locks[0]!.run('votes|b|caro', async () => 'again')).resolves.toBe('again');
    } finally {
      await killer.end();
    }
  });

  it('keeps works held within a key out while that key is held alone elsewhere, and lets them run side by side otherwise', async () => {
    const events: string[] = [];
    let release = () => {};
    // Two casts of different people on two processes hold the board shared at the same time.
    const casts = [0, 1].map((i) =>
      locks[i]!.run(`votes|b2|p${i}`, async () => {
        events.push(`cast ${i} in`);
        await pause(80);
        events.push(`cast ${i} out`);
      }, { within: 'rounds|b2' })
    );
    await pause(20);
    // A round change waits for both, and a cast asked for meanwhile waits for it.
    const change = locks[0]!.run('rounds|b2', async () => {
      events.push('change in');
      await new Promise<void>((r) => (release = r));
      events.push('change out');
    });
    await pause(150);
    const late = locks[1]!.run('votes|b2|p9', async () => void events.push('late cast'), { within: 'rounds|b2' });
    await pause(100);
    expect(events.slice(0, 2).sort()).toEqual(['cast 0 in', 'cast 1 in']); // side by side
    expect(events.slice(2, 4).sort()).toEqual(['cast 0 out', 'cast 1 out']);
    expect(events.slice(4)).toEqual(['change in']); // the late cast waits
    release();
    await Promise.all([...casts, change, late]);
    expect(events.slice(4)).toEqual(['change in', 'change out', 'late cast']);
  });

  it('passes on the work’s own error and stays usable', async () => {
    await expect(locks[0]!.run('votes|b|dani', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks[1]!.run('votes|b|dani', async () => 'free')).resolves.toBe('free');
  });
});
