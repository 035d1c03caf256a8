import type { PgDb } from '../../../../db/pg.ts';

/** A Drizzle transaction on PostgreSQL (what a store's write runs on). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** One write of a PostgreSQL store: its statements, run on a transaction it does not own. */
export type PgWrite<T> = (tx: PgTx) => Promise<T>;

type TxConfig = Parameters<PgDb['transaction']>[1];

interface Enlisted {
  lanes: readonly string[];
  write: PgWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const ignore = () => {};

/**
 * The PostgreSQL stores' way to write (board log, sessions, votes). A write names the lanes it
 * touches (a doc id, a board's session…) and runs in its own transaction after the earlier writes
 * on those lanes, so writes of one doc commit in call order, as on SQLite, while other docs go on
 * in parallel through the pool.
 *
 * `atomically(work)` is the unit of work behind `BoardStorage.atomically`: `work` is synchronous,
 * so while it runs the stores' writes are enlisted instead of started; then the unit runs them in
 * call order in ONE transaction, and their promises settle after its COMMIT (or all reject).
 * One instance per database (`pgUnitOf`), so every store on it joins the same unit.
 */
export class PgUnitOfWork {
  private open: Enlisted[] | null = null;
  /** The last write queued on each lane (settled, never rejecting). */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(private readonly db: PgDb) {}

  /** Whether `atomically` is collecting writes right now. */
  get collecting(): boolean {
    return this.open !== null;
  }

  /**
   * Runs `write` in its own transaction once the earlier writes on `lanes` are done; inside
   * `atomically` it joins the unit instead (and `config` is the unit's).
   */
  run<T>(lanes: readonly string[], write: PgWrite<T>, config?: TxConfig): Promise<T> {
    const unit = this.open;
    if (unit) {
      return new Promise<T>((resolve, reject) => {
        unit.push({ lanes, write, resolve: resolve as (value: unknown) => void, reject });
      });
    }
    return this.queue(lanes, () => this.db.transaction(write, config));
  }

  atomically(work: () => void): Promise<void> {
    if (this.open) return Promise.reject(new Error('atomically() does not nest'));
    const unit: Enlisted[] = [];
    this.open = unit;
    try {
      work();
    } catch (err) {
      for (const e of unit) e.reject(err);
      return Promise.reject(err);
    } finally {
      this.open = null;
    }
    if (unit.length === 0) return Promise.resolve();
    const lanes = [...new Set(unit.flatMap((e) => e.lanes))];
    const done = this.queue(lanes, () =>
      this.db.transaction(async (tx) => {
        const results: unknown[] = [];
        for (const e of unit) results.push(await e.write(tx));
        return results;
      })
    );
    return done.then(
      (results) => {
        unit.forEach((e, i) => e.resolve(results[i]));
      },
      (err: unknown) => {
        for (const e of unit) e.reject(err);
        throw err;
      }
    );
  }

  private queue<T>(lanes: readonly string[], start: () => Promise<T>): Promise<T> {
    const before: Promise<void>[] = [];
    for (const lane of lanes) {
      const tail = this.lanes.get(lane);
      if (tail) before.push(tail);
    }
    const result = before.length === 0 ? start() : Promise.all(before).then(start);
    const tail = result.then(ignore, ignore);
    for (const lane of lanes) this.lanes.set(lane, tail);
    void tail.then(() => {
      for (const lane of lanes) if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
    });
    return result;
  }
}

const units = new WeakMap<PgDb, PgUnitOfWork>();

/** The one unit of work of a database: the stores built on the same `db` share it. */
export function pgUnitOf(db: PgDb): PgUnitOfWork {
  let unit = units.get(db);
  if (!unit) units.set(db, (unit = new PgUnitOfWork(db)));
  return unit;
}
