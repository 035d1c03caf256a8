import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/engines/redis.ts';

/*
 * The redis-server of tests/helpers/engines/redis.ts with real ioredis clients: what the Redis
 * fan-out of issue 13 will stand on (pub/sub between two connections, a restart mid-session).
 */
describe('a test Redis (tests/helpers/engines/redis.ts)', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    // No offline queue: a command sent while Redis is down fails instead of waiting unseen.
    const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startRedis();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it('answers PING on its loopback port', async () => {
    const client = connect();
    await client.connect();
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.ping()).toBe('PONG');
  });

  it('delivers a message published on one connection to a subscriber on another', async () => {
    const publisher = connect();
    const subscriber = connect();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const received: [string, Buffer][] = [];
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => received.push([channel.toString(), message]));
    await subscriber.subscribe('board:b1');
    const update = Buffer.from([1, 2, 3, 0, 255]);
    expect(await publisher.publish('board:b1', update)).toBe(1);
    await vi.waitFor(() => expect(received).toEqual([['board:b1', update]]));
  });

  it('comes back on the same port after a restart, and a client reconnects and subscribes again by itself', async () => {
    const publisher = connect();
    const subscriber = connect();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const received: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => received.push(message));
    await subscriber.subscribe('board:b2');

    await server.restart();
    // ioredis re-subscribes on reconnect: once a publish reaches a subscriber, it is back.
    await vi.waitFor(
      async () => {
        expect(await publisher.publish('board:b2', 'after restart')).toBe(1);
      },
      { timeout: 10_000, interval: 100 }
    );
    await vi.waitFor(() => expect(received).toContain('after restart'));
  });
});
