import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { startNginx, type NginxServer } from '../helpers/engines/nginx.ts';
import { api, connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * docs/deploy.md's nginx example (deploy/nginx.conf) in front of a real Minga: REST, both sockets
 * through the WebSocket upgrade, and no token in nginx's access log.
 */
describe('behind deploy/nginx.conf', () => {
  let server: TestServer;
  let nginx: NginxServer;

  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1' });
    nginx = await startNginx([Number(new URL(server.url).port)]);
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.close();
  });

  it('serves REST, the content plane and the control plane, and logs no token', async () => {
    const workshop = await createWorkshop(nginx.url);
    const me = await join(nginx.url, workshop.code, { name: 'Rosa' });
    const boardId = workshop.boards[0]!.id;

    const wsUrl = nginx.url.replace('http:', 'ws:');
    const a = connectBoard(wsUrl, boardId, me.token);
    const b = connectBoard(wsUrl, boardId, workshop.facilitatorToken);
    await Promise.all([a.synced, b.synced]);
    const id = postIdea(a.doc, { id: me.participantId, name: 'Rosa', sector: 'comunidad' }, { text: 'Riego por goteo compartido', questionId: 'desafio-6-p1' });
    await expect.poll(() => (b.doc.getMap('ideas').get(id) as { get(k: string): unknown } | undefined)?.get('text'), { timeout: 10_000 }).toBe('Riego por goteo compartido');

    const control = await connectControl(nginx.url, me.token);
    expect(control.connected).toBe(true);
    control.close();
    a.destroy();
    b.destroy();

    const health = await api(nginx.url, '/api/health');
    expect(health.status).toBe(200);
    const log = nginx.accessLog();
    expect(log).toContain('/yjs/');
    expect(log).not.toContain(me.token);
    expect(log).not.toContain(workshop.facilitatorToken);
  });
});

/**
 * The same example in front of two processes on PostgreSQL + Redis (docs/deploy.md): the board id
 * hash puts every editor of a board on one process, and when that process dies (kill -9) nginx
 * sends their reconnecting providers to the other, where nothing anyone saw is missing.
 */
describe('two processes behind deploy/nginx.conf', () => {
  let cluster: Cluster;
  let nginx: NginxServer;

  beforeAll(async () => {
    cluster = await startCluster({ env: { TRUST_PROXY: '1' } });
    nginx = await startNginx(cluster.nodes.map((n) => Number(new URL(n.url).port)));
  }, 60_000);
  afterAll(async () => {
    await nginx?.stop();
    await cluster?.stop();
  });

  it('routes a board to one process, and to the other when that one is killed', async () => {
    const workshop = await createWorkshop(nginx.url);
    const boardId = workshop.boards[0]!.id;
    const names = ['Ana', 'Beto', 'Carla'];
    const people = await Promise.all(names.map((name) => join(nginx.url, workshop.code, { name })));
    const wsUrl = nginx.url.replace('http:', 'ws:');
    const clients = people.map((p) => connectBoard(wsUrl, boardId, p.token));
    await Promise.all(clients.map((c) => c.synced));

    const opened = (node: Cluster['nodes'][number]) => node.output().split('\n').filter((l) => l.includes('content connection opened') && l.includes(boardId)).length;
    const holder = cluster.nodes.find((n) => opened(n) > 0)!;
    expect(cluster.nodes.map(opened).sort()).toEqual([0, 3]);

    const ids = people.map((p, i) => postIdea(clients[i]!.doc, { id: p.participantId, name: names[i]!, sector: 'comunidad' }, { text: `Idea ${i}`, questionId: 'desafio-6-p1' }));
    await vi.waitFor(() => {
      for (const c of clients) for (const id of ids) expect(c.doc.getMap('ideas').has(id)).toBe(true);
    }, { timeout: 10_000 });

    await holder.kill9();
    // Written while the holder is gone: kept by the provider and sent once it is connected again.
    const late = postIdea(clients[0]!.doc, { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Después de la caída', questionId: 'desafio-6-p1' });
    const other = cluster.nodes.find((n) => n !== holder)!;
    await vi.waitFor(() => expect(opened(other)).toBe(3), { timeout: 20_000 });
    await vi.waitFor(() => {
      for (const c of clients) for (const id of [...ids, late]) expect(c.doc.getMap('ideas').has(id)).toBe(true);
    }, { timeout: 20_000 });
    for (const c of clients) c.destroy();
  }, 60_000);
});
