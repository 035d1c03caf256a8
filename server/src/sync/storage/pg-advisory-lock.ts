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

  /**
   * Runs `work` holding `key`'s lock (and first a shared hold of `within`, which an exclusive
   * `run(within, …)` elsewhere waits for, and keeps out while it runs); rejects (without running
   * it) if a lock is not had in time.
   */
  run<T>(key: string, work: () => Promise<T>, options: { within?: string } = {}): Promise<T> {
    const next = this.tail.then(() => this.locked(key, options.within ?? null, work));
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

  private async locked<T>(key: string, within: string | null, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the server is closing');
    const client = await this.connection();
    // Both in one statement: always the shared one first, so two works never wait on each other in turn.
    const [take, release] = within
      ? [
          'SELECT pg_advisory_lock_shared(hashtextextended($2, 0)), pg_advisory_lock(hashtextextended($1, 0))',
          'SELECT pg_advisory_unlock(hashtextextended($1, 0)), pg_advisory_unlock_shared(hashtextextended($2, 0))'
        ]
      : ['SELECT pg_advisory_lock(hashtextextended($1, 0))', 'SELECT pg_advisory_unlock(hashtextextended($1, 0))'];
    const params = within ? [key, within] : [key];
    try {
      await client.query(take, params);
    } catch (err) {
      // A timeout on the second lock leaves the first held: letting go of the connection drops both.
      this.drop(client, err as Error);
      throw err;
    }
    try {
      return await work();
    } finally {
      await client.query(release, params).catch((err: Error) => this.drop(client, err));
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
