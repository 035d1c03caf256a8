import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { populateBaseline } from './baseline-population.ts';
import { announce, isMain, LISTENING } from './main-check.ts';
import { startNodeProcess } from './process.ts';
import type { BenchServer, RunningServer, StartOptions } from './types.ts';

/**
 * Baseline (c), the floor: a `ws` server that forwards every frame to the other sockets on the
 * same URL path, and does nothing else (no doc, no decoding, no storage).
 */
export const wsRelay: BenchServer = {
  name: 'ws-relay',
  protocol: 'relay',
  async start(options: StartOptions): Promise<RunningServer> {
    const proc = await startNodeProcess(import.meta.filename, { env: options.env, nodeFlags: options.nodeFlags, ready: LISTENING });
    const wsUrl = `ws://127.0.0.1:${proc.port}`;
    return {
      name: 'ws-relay',
      pid: proc.pid,
      httpUrl: `http://127.0.0.1:${proc.port}`,
      wsUrl,
      output: proc.output,
      stop: proc.stop,
      kill9: proc.kill9,
      populate: (layout) => populateBaseline('ws-relay', 'relay', (boardId) => `${wsUrl}/${boardId}`, layout)
    };
  }
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
