import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { createDb, type DbHandle } from '../../db/client.ts';
import { RedisFanout } from '../../server/src/sync/fanout/redis-fanout.ts';
import { Rooms } from '../../server/src/sync/rooms.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { startRedis, type RedisServer } from '../helpers/engines/redis.ts';
import { quiet, TEST_ROOM_OPTIONS } from '../helpers/room.ts';

const WAIT = { timeout: 10_000, interval: 25 };

/**
 * Two processes' rooms of one board over one store, each with its own RedisFanout on a real
 * redis-server: a change that reached storage but was never published (a lost message) is healed
 * by the periodic state-vector exchange, insertions and deletions alike.
 */
describe('Redis fan-out healing', () => {
  let redis: RedisServer | undefined;
  let handle: DbHandle | undefined;
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const run of cleanup.splice(0).reverse()) await run();
    await redis?.stop();
    handle?.close();
  });

  async function processOf(storage: SqliteBoardStorage, url: string) {
    const pub = new Redis(url, { enableOfflineQueue: false });
    const sub = new Redis(url);
    const fanout = new RedisFanout(pub, sub, quiet, { healIntervalMs: 200 });
    const rooms = new Rooms(storage, { ...TEST_ROOM_OPTIONS, broadcaster: fanout, idleUnloadMs: 60_000 }, quiet);
    fanout.attach(rooms);
    await Promise.all([pub, sub].map((c) => new Promise((resolve) => c.once('ready', resolve))));
    cleanup.push(async () => {
      await rooms.closeAll();
      await fanout.close();
      pub.disconnect();
      sub.disconnect();
    });
    return rooms;
  }

  it('heals an insertion and a deletion that were stored but never published', async () => {
    redis = await startRedis();
    handle = createDb(':memory:');
    const storage = new SqliteBoardStorage(handle.sqlite);
    const [a, b] = [await processOf(storage, redis.url), await processOf(storage, redis.url)];
    const [roomA, roomB] = [await a.acquire('board1'), await b.acquire('board1')];

    // Published as usual: B hears of it.
    await roomA.serverWrite('test', (doc) => doc.getMap('ideas').set('i1', 'uno'));
    await vi.waitFor(() => expect(roomB.doc.getMap('ideas').get('i1')).toBe('uno'), WAIT);

    // Stored and known to A, but its message is lost: only healing can bring it to B.
    const lost = (change: (doc: Y.Doc) => void) => {
      const writer = new Y.Doc();
      Y.applyUpdate(writer, Y.encodeStateAsUpdate(roomA.doc));
      const before = Y.encodeStateVector(writer);
      change(writer);
      const update = Y.encodeStateAsUpdate(writer, before);
      const id = storage.appendNow('board1', [update]);
      roomA.applyStored([update], [], id);
    };
    lost((doc) => doc.getMap('ideas').set('i2', 'dos'));
    await vi.waitFor(() => expect(roomB.doc.getMap('ideas').get('i2')).toBe('dos'), WAIT);
    lost((doc) => doc.getMap('ideas').delete('i1'));
    await vi.waitFor(() => expect(roomB.doc.getMap('ideas').has('i1')).toBe(false), WAIT);
    a.release(roomA);
    b.release(roomB);
  });
});
