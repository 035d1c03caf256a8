import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer, type WebSocket } from 'ws';
import { startBaseline } from './baseline-process.ts';
import { announce, isMain } from './main-check.ts';
import type { BenchServer } from './types.ts';

/**
 * Baseline (a): the classic in-memory y-websocket server of `y-websocket` 1.5.x, as its
 * `bin/server.js` wires it (`setupWSConnection` per socket, one shared doc per URL path), with no
 * persistence. Only the `ws` package differs: the project's ws 8, the same one Minga and
 * Hocuspocus use, so the transport is equal and the comparison is of the sync servers.
 */
export const yWebsocket: BenchServer = {
  name: 'y-websocket',
  protocol: 'y-websocket',
  start: (options) =>
    startBaseline({ file: import.meta.filename, name: 'y-websocket', protocol: 'y-websocket', urlOf: (wsUrl, boardId) => `${wsUrl}/${boardId}` }, options)
};

type SetupWSConnection = (conn: WebSocket, req: IncomingMessage) => void;

if (isMain(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const { setupWSConnection } = require('y-websocket-classic/bin/utils') as { setupWSConnection: SetupWSConnection };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    announce(typeof address === 'object' && address ? address.port : 0);
  });
  process.on('SIGTERM', () => process.exit(0));
}
