import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { startBaseline } from './baseline-process.ts';
import { announce, isMain } from './main-check.ts';
import type { BenchServer } from './types.ts';

/**
 * Baseline (c), the floor: a `ws` server that forwards every frame to the other sockets on the
 * same URL path, and does nothing else (no doc, no decoding, no storage).
 */
export const wsRelay: BenchServer = {
  name: 'ws-relay',
  protocol: 'relay',
  start: (options) => startBaseline({ file: import.meta.filename, name: 'ws-relay', protocol: 'relay', urlOf: (wsUrl, boardId) => `${wsUrl}/${boardId}` }, options)
};

if (isMain(import.meta.url)) {
  const rooms = new Map<string, Set<WebSocket>>();
  const server = createServer((_req, res) => res.end('relay'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    const path = (req.url ?? '/').split('?')[0]!;
    let room = rooms.get(path);
    if (!room) rooms.set(path, (room = new Set()));
    room.add(ws);
    ws.on('message', (data: Buffer, isBinary) => {
      for (const peer of room) if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
    });
    ws.on('close', () => room.delete(ws));
    ws.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    announce(typeof address === 'object' && address ? address.port : 0);
  });
  process.on('SIGTERM', () => process.exit(0));
}
