import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { closeContentConnections } from '../../realtime/close-identity.ts';
import { boardStats } from '../../realtime/board-stats.ts';
import { controlError } from '../../realtime/control-errors.ts';
import { onBoardJoin } from '../../realtime/handlers/board-join.ts';
import { onJoining } from '../../realtime/handlers/joining.ts';
import { onSessionCommand } from '../../realtime/handlers/session-command.ts';
import { onRoundsList } from '../../realtime/handlers/rounds-list.ts';
import { onVoteCast } from '../../realtime/handlers/vote-cast.ts';
import { onWorkshopWatch } from '../../realtime/handlers/workshop-watch.ts';
import { onResultsWatch } from '../../realtime/handlers/results-watch.ts';
import { createResultsService, type ResultsService } from '../../results/results-service.ts';
import { boardRoom, facilitatorsRoom, identityRoom, resultsRoom, type ControlServer, type ControlSocket } from '../../realtime/socket-types.ts';
import { ballotsHidden, toPublicState } from '../../sessions/session-state.ts';
import { originAllowed } from '../../sync/extensions/auth.ts';
import { SocketThrottle } from '../../sync/extensions/throttle.ts';
import { clientAddress } from '../../client-address.ts';
import { ownOrigins } from '../../public-origin.ts';
import type { BoardStats } from '../../realtime/events.ts';
import type { Room } from '../../sync/room.ts';
import { createWorkshopOfBoard } from '../../repositories/workshop-of-board.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: ControlServer;
    /** Live figures of the board reach its control rooms soon (throttled). */
    boardStatsChanged(boardId: string): void;
    /** The board's figures now (a blind round counts its ballots). */
    liveStats(room: Room): Promise<BoardStats>;
    workshopResults: ResultsService;
  }
}

/** Live figures reach the control room at most this often per board. */
const STATS_INTERVAL_MS = 500;

/** The control plane: Socket.io at /socket.io with `auth: { token }`. */
export default fp(
  async (app) => {
    const { config } = app;
    const io: ControlServer = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      destroyUpgrade: false,
      allowRequest: (req, callback) => callback(null, originAllowed(req, [...ownOrigins(config, app.server), ...config.allowedOrigins]))
    });
    // With Redis, broadcasts to a room reach the sockets of every process (issue 13).
    if (app.redis) io.adapter(createAdapter(app.redis.connect('control-pub'), app.redis.connect('control-sub')));
    app.decorate('io', io);
    const results = createResultsService(app, (workshopId) => {
      app.workshops.byId(workshopId).then(
        (workshop) => io.to(resultsRoom(workshopId)).emit('results:changed', { publishedAt: workshop?.resultsPublishedAt ?? null }),
        (err: unknown) => app.log.error({ err, workshopId }, 'results: workshop not read')
      );
    });
    app.decorate('workshopResults', results);
    const log = app.log.child({ plane: 'control' });
    const throttle = new SocketThrottle({
      perParticipant: { perSecond: config.messagesPerSecond, burst: config.messageBurst },
      perAddress: { perSecond: config.ipMessagesPerSecond, burst: config.ipMessageBurst }
    });

    io.use(async (socket, next) => {
      const result = await app.resolveIdentity((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      // A new socket costs one message: reconnecting in a loop drains the budget too.
      const address = clientAddress(socket.request, config.trustProxyHops);
      if (!throttle.take(address, result.ok ? result.identity.id : undefined)) {
        log.warn({ participantId: result.ok ? result.identity.id : undefined }, 'control connection refused: rate limited');
        const err = new Error('rate limited') as Error & { data?: unknown };
        err.data = controlError('RATE_LIMITED');
        next(err);
        return;
      }
      if (!result.ok) {
        log.warn({ reason: result.reason }, 'control connection refused');
        const err = new Error('unauthorized') as Error & { data?: unknown };
        err.data = controlError('FORBIDDEN');
        next(err);
        return;
      }
      socket.data.identity = result.identity;
      socket.data.rooms = new Map();
      socket.data.throttle = throttle.budget(address, result.identity.id);
      next();
    });

    io.on('connection', (socket: ControlSocket) => {
      const { identity } = socket.data;
      const ctx = { app, io, socket, log: log.child({ participantId: identity.id, role: identity.role }) };
      ctx.log.info({}, 'control connection opened');
      // Removal and token rotation close a person's sockets through this room, on every process.
      void socket.join(identityRoom(identity.id));
      onBoardJoin(ctx);
      onVoteCast(ctx);
      onSessionCommand(ctx);
      onWorkshopWatch(ctx);
      onRoundsList(ctx);
      onJoining(ctx);
      onResultsWatch(ctx);
      socket.on('disconnect', (reason) => {
        for (const room of socket.data.rooms.values()) app.rooms.release(room);
        socket.data.rooms.clear();
        ctx.log.info({ reason }, 'control connection closed');
      });
    });

    // Every session change reaches the board's room and the workshop's control room (with Redis,
    // on every process); the other processes read the stored row again, so their write gates follow.
    const workshopOf = createWorkshopOfBoard(app.workshops);
    app.onSessionChange((boardId, record) => {
      // The state as it is now; sent once the board's workshop is known (in order: one promise per board).
      const state = toPublicState(boardId, record, Date.now());
      workshopOf(boardId).then(
        (workshopId) => workshopId && io.to(boardRoom(boardId)).to(facilitatorsRoom(workshopId)).emit('session:state', state),
        (err: unknown) => app.log.error({ err, boardId }, 'session state not broadcast: board not read')
      );
      if (app.redis) io.serverSideEmit('minga:session-changed', boardId);
    });
    if (app.redis) {
      io.on('minga:session-changed', (boardId: string) => {
        Promise.resolve(app.sessions.reload(boardId)).catch((err: unknown) => log.error({ err, boardId }, 'could not reload a session changed elsewhere'));
      });
      io.on('minga:close-identity', (identityId: string, reason: string) => {
        closeContentConnections(app.rooms, identityId, reason);
      });
    }

    const liveStats = async (room: Room) =>
      boardStats(room, app.rooms, ballotsHidden(app.sessions.get(room.boardId).round) ? await app.votes.dotsCast(room.boardId) : null);
    app.decorate('liveStats', liveStats);

    // Live figures for control rooms, throttled per board.
    const pending = new Map<string, NodeJS.Timeout>();
    const statsChanged = (boardId: string) => {
      if (pending.has(boardId)) return;
      pending.set(
        boardId,
        setTimeout(() => {
          pending.delete(boardId);
          workshopOf(boardId).then(
            async (workshopId) => {
              const live = app.rooms.peek(boardId);
              if (live && !live.isClosed && workshopId) io.to(facilitatorsRoom(workshopId)).emit('board:stats', await liveStats(live));
            },
            (err: unknown) => app.log.error({ err, boardId }, 'board stats not sent: board not read')
          );
        }, STATS_INTERVAL_MS).unref()
      );
    };
    app.decorate('boardStatsChanged', statsChanged);
    app.rooms.onActivity((room) => statsChanged(room.boardId));

    app.addHook('preClose', async () => {
      for (const timer of pending.values()) clearTimeout(timer);
      results.close();
      // Closing the transports, not io.disconnectSockets(): socket.io-client takes a server-side
      // disconnect as final ('io server disconnect') and would not come back after a restart.
      // Not io.close(): that would also close the HTTP server, which Fastify closes itself.
      io.engine.close();
    });
  },
  { name: 'realtime', dependencies: ['sessions'] }
);
