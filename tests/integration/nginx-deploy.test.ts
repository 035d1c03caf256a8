import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
