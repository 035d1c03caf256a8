import type pg from 'pg';

/** How long a work waits for another process's hold on its key before it is refused. */
const LOCK_TIMEOUT = '5s';

/**
 * Runs works that must not overlap on any process sharing one PostgreSQL database (an open-round
 * dot of one participant: read the doc, check the budget, write, store) one at a time per key,
 * with a session-level advisory lock held for the whole work.
 *
 * The locks live on one connection of this process's own, not on a pooled transaction per work:
 * the work writes through the pool (the board log's append), so every waiting work holding a
 * pooled connection could leave none for the appends that would let them go. With one
 * connection, this process's works run one after another, which is plenty at the rate people
 * click. If that connection is lost, PostgreSQL drops its locks with it and the next work opens
 * another one.
 */
export class PgAdvisoryLock {
  /** The connection the locks are taken on (works run one at a time, so one is enough). */
  private held: pg.PoolClient | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  /** Runs `work` holding `key`'s lock; rejects (without running it) if the lock is not had in time. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => this.locked(key, work));
    this.tail = next.catch(() => {});
    return next;
  }

  /** Lets go of the connection (the server is closing). */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.held?.release();
    this.held = null;
  }

  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the server is closing');
    const client = await this.connection();
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } catch (err) {
      this.drop(client, err as Error);
      throw err;
    }
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((err: Error) => this.drop(client, err));
    }
  }

  private async connection(): Promise<pg.PoolClient> {
    if (this.held) return this.held;
    const client = await this.pool.connect();
    // A checked-out client that loses its connection emits 'error'; unheard, it would end the process.
    client.on('error', (err) => this.drop(client, err));
    this.held = client;
    try {
      await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    } catch (err) {
      this.drop(client, err as Error);
      throw err;
    }
    return client;
  }

  /** Forgets a connection that failed (the pool closes it); the next work opens another. */
  private drop(client: pg.PoolClient, err: Error): void {
    if (this.held !== client) return;
    this.held = null;
    client.release(err);
  }
}
