import fp from 'fastify-plugin';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { clientAddress } from '../../client-address.ts';
import { ownOrigins } from '../../public-origin.ts';
import { CloseCode, MingaError } from '../../errors.ts';
import type { Identity } from '../../auth/identity.ts';
import { Connection } from '../../sync/connection.ts';
import type { Room } from '../../sync/room.ts';
import { authenticateUpgrade, originAllowed, YJS_PATH_PREFIX, type UpgradeAuth } from '../../sync/extensions/auth.ts';
import type { BoardStorage } from '../../sync/storage/board-storage.ts';
import { PgBoardStorage } from '../../sync/storage/pg-board-storage.ts';
import { SqliteBoardStorage } from '../../sync/storage/sqlite-board-storage.ts';
import { ensureParticipantListed } from '../../sync/participants.ts';
import { ensureProposalSections } from '../../sync/proposal-sections.ts';
import { moveLegacyHiddenIdeas } from '../../sessions/hidden-ideas.ts';
import { Rooms } from '../../sync/rooms.ts';
import { SocketThrottle } from '../../sync/extensions/throttle.ts';
import { openBoard, type Log, type WriteGate } from '../../sync/types.ts';
import { RedisFanout } from '../../sync/fanout/redis-fanout.ts';

declare module 'fastify' {
  interface FastifyInstance {
    rooms: Rooms;
    /** PostgreSQL's when DATABASE_URL is set, else SQLite's. */
    boardStorage: BoardStorage;
    /** With Redis: the content plane across processes (sync/fanout/redis-fanout.ts); null otherwise. */
    fanout: RedisFanout | null;
    /** Sessions replace this to enforce locks and phases on the content plane. */
    setWriteGate(gate: WriteGate): void;
  }
}

const PING_INTERVAL_MS = 30_000;
const MAX_BUFFERED_BYTES = 16 * 1_048_576;

/** The content plane: y-websocket protocol at /yjs/<boardId>?token=… */
export default fp(
  async (app) => {
    const { config } = app;
    let gate: WriteGate = openBoard;
    const log = app.log as unknown as Log;
    const boardStorage: BoardStorage = app.pg ? new PgBoardStorage(app.pg.db) : new SqliteBoardStorage(app.sqlite);
    const fanout = app.redis
      ? new RedisFanout(app.redis.connect('content-pub', { offlineQueue: false }), app.redis.connect('content-sub'), log.child({ plane: 'fanout' }), {
          healIntervalMs: config.fanoutHealIntervalMs
        })
      : null;
    const rooms = new Rooms(
      boardStorage,
      {
        compactEveryUpdates: config.compactEveryUpdates,
        maxBoardBytes: config.maxBoardBytes,
        compactionHoldMs: config.compactionHoldMs,
        batchWrites: config.batchWrites,
        awarenessIntervalMs: config.awarenessIntervalMs,
        broadcastIntervalMs: config.broadcastIntervalMs,
        broadcastPacing: config.broadcastPacing,
        presenceRenewals: config.presenceRenewals,
        writeGate: (ctx) => gate(ctx),
        track: app.track,
        ...(fanout ? { broadcaster: fanout } : {}),
        idleUnloadMs: config.roomIdleUnloadMs,
        onLoad: (room) => {
          ensureProposalSections(room);
          moveLegacyHiddenIdeas(rooms, boardStorage, room).catch((err: unknown) => {
            // Storage failed: the rooms were dropped and reload (and retry) on next use.
            log.error({ err, docId: room.docId }, 'could not move legacy hidden ideas');
          });
        }
      },
      log.child({ plane: 'content' })
    );
    fanout?.attach(rooms);
    app.decorate('rooms', rooms);
    app.decorate('fanout', fanout);
    app.decorate('boardStorage', boardStorage);
    app.decorate('setWriteGate', (next: WriteGate) => {
      gate = next;
    });

    const throttle = new SocketThrottle({
      perParticipant: { perSecond: config.messagesPerSecond, burst: config.messageBurst },
      perAddress: { perSecond: config.ipMessagesPerSecond, burst: config.ipMessageBurst }
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });

    const onUpgrade = (req: import('node:http').IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url?.startsWith('/socket.io/')) return; // Socket.io handles its own path
      if (!req.url?.startsWith(YJS_PATH_PREFIX)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!originAllowed(req, [...ownOrigins(config, app.server), ...config.allowedOrigins])) {
        log.warn({ origin: req.headers.origin }, 'websocket origin refused');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req);
        void accept(ws, req);
      });
    };

    const accept = async (ws: WebSocket, req: import('node:http').IncomingMessage) => {
      // The client speaks at once (sync step 1, presence): hold its messages while its token is
      // checked (a read of storage) and its board loads.
      const early: [Buffer, boolean][] = [];
      let gone = false;
      const hold = (data: Buffer, isBinary: boolean) => early.push([data, isBinary]);
      const left = () => (gone = true);
      ws.on('message', hold);
      ws.on('close', left);
      let auth: UpgradeAuth;
      try {
        auth = await authenticateUpgrade(req, app.resolveIdentity, app.workshops);
      } catch (err) {
        // Storage could not answer who this is: "try again later", as for a board that cannot load.
        log.error({ err }, 'content connection refused: identity not read');
        ws.close(CloseCode.BoardUnavailable, 'board unavailable');
        return;
      }
      // A new socket costs one message: reconnecting in a loop drains the budget too.
      const address = clientAddress(req, config.trustProxyHops);
      if (!throttle.take(address, auth.ok ? auth.identity.id : undefined)) {
        log.warn({ participantId: auth.ok ? auth.identity.id : undefined }, 'content connection refused: rate limited');
        ws.close(CloseCode.RateLimited, 'too many messages');
        return;
      }
      if (!auth.ok) {
        log.warn({ code: auth.code, reason: auth.reason }, 'content connection refused');
        ws.close(auth.code, auth.reason);
        return;
      }
      const { docId, boardId, identity } = auth;
      const connLog = log.child({ boardId, docId: docId === boardId ? undefined : docId, participantId: identity.id, role: identity.role });
      ws.on('error', (err) => connLog.warn({ err }, 'content socket error'));
      rooms.acquire(docId).then(
        (room) => {
          ws.off('message', hold);
          ws.off('close', left);
          if (gone) return rooms.release(room);
          serve(ws, room, identity, { docId, boardId, address, connLog }, early);
        },
        (err: unknown) => {
          // Logged by the room with the row that failed; the client retries after its backoff.
          if (!(err instanceof MingaError && err.code === 'BOARD_UNAVAILABLE')) connLog.error({ err }, 'board failed to load');
          ws.close(CloseCode.BoardUnavailable, 'board unavailable');
        }
      );
    };

    const serve = (
      ws: WebSocket,
      room: Room,
      identity: Identity,
      { docId, boardId, address, connLog }: { docId: string; boardId: string; address: string; connLog: Log },
      early: [Buffer, boolean][]
    ) => {
      if (docId === boardId) ensureParticipantListed(room, identity);
      const connection = new Connection(
        {
          send: (data) => {
            // A client that stopped reading (a phone gone to sleep) is dropped rather than buffered
            // without bound; it resyncs from the server when it comes back.
            if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
            else ws.send(data);
          },
          close: (code, reason) => ws.close(code, reason)
        },
        identity,
        room,
        connLog,
        throttle.budget(address, identity.id)
      );
      connLog.info({ connections: room.connections.size }, 'content connection opened');
      const receive = (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          connection.close(4400, 'binary messages only');
          return;
        }
        connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      };
      for (const [data, isBinary] of early) receive(data, isBinary);
      ws.on('message', receive);
      ws.on('close', (code) => {
        connection.closed();
        rooms.release(room);
        connLog.info({ code }, 'content connection closed');
      });
    };

    // Ping every socket; one that missed the previous pong is dead (a phone that left the Wi-Fi).
    const alive = new WeakMap<WebSocket, boolean>();
    wss.on('connection', (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
    });
    const heartbeat = setInterval(() => {
      for (const ws of wss.clients) {
        if (alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.ping();
      }
    }, PING_INTERVAL_MS).unref();

    app.server.on('upgrade', onUpgrade);
    app.addHook('preClose', async () => {
      app.server.off('upgrade', onUpgrade);
      clearInterval(heartbeat);
      await rooms.closeAll();
      await fanout?.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    });
  },
  { name: 'sync', dependencies: ['domain', 'diagnostics', 'redis'] }
);
