import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import type { Identity } from '../../auth/identity.ts';
import { controlError } from '../../realtime/control-errors.ts';
import type { ClientToServerEvents, ServerToClientEvents, SessionState } from '../../realtime/events.ts';
import { castVote, dotsUsed } from '../../realtime/votes.ts';
import { BoardJoinPayload, VoteCastPayload } from '../../schemas/events.ts';
import { originAllowed } from '../../sync/extensions/auth.ts';
import { Throttle } from '../../sync/extensions/throttle.ts';
import { ensureParticipantListed } from '../../sync/participants.ts';
import type { Room } from '../../sync/room.ts';

interface SocketData {
  identity: Identity;
  /** Boards this socket joined, with the room it keeps loaded. */
  boards: Map<string, Room>;
  throttle: Throttle;
}

type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
    /** The session state of a board as clients see it (sessions replace the open-board default). */
    sessionState(boardId: string): SessionState;
  }
}

export const boardRoom = (boardId: string) => `board:${boardId}`;

/** The control plane: Socket.io at /socket.io with `auth: { token }`. */
export default fp(
  async (app) => {
    const { config } = app;
    const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      destroyUpgrade: false,
      allowRequest: (req, callback) => callback(null, originAllowed(req, config.allowedOrigins))
    });
    app.decorate('io', io);
    app.decorate('sessionState', (boardId: string): SessionState => ({
      boardId,
      phase: 'abierto',
      status: 'idle',
      endsAt: null,
      remainingMs: null,
      locked: false,
      serverNow: Date.now()
    }));
    const log = app.log.child({ plane: 'control' });

    io.use((socket, next) => {
      const result = app.resolveIdentity((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      if (!result.ok) {
        log.warn({ reason: result.reason }, 'control connection refused');
        const err = new Error('unauthorized') as Error & { data?: unknown };
        err.data = controlError('FORBIDDEN');
        next(err);
        return;
      }
      socket.data.identity = result.identity;
      socket.data.boards = new Map();
      socket.data.throttle = new Throttle(config.messagesPerSecond, config.messageBurst);
      next();
    });

    io.on('connection', (socket: ControlSocket) => {
      const { identity } = socket.data;
      const socketLog = log.child({ participantId: identity.id, role: identity.role });
      socketLog.info({}, 'control connection opened');

      // Every event is rate limited and schema checked before it is looked at.
      const guard = (ack: unknown): ack is (answer: unknown) => void => typeof ack === 'function';
      const allowed = (ack: (answer: unknown) => void) => {
        if (socket.data.throttle.take()) return true;
        ack({ ok: false, error: controlError('RATE_LIMITED') });
        return false;
      };

      socket.on('board:join', (payload, ack) => {
        if (!guard(ack) || !allowed(ack)) return;
        if (!BoardJoinPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
        const board = app.workshops.board(payload.boardId);
        if (!board) return ack({ ok: false, error: controlError('BOARD_NOT_FOUND') });
        if (board.workshopId !== identity.workshopId) return ack({ ok: false, error: controlError('FORBIDDEN') });
        let room = socket.data.boards.get(board.id);
        if (!room || room.isClosed) {
          if (room) app.rooms.release(room);
          room = app.rooms.acquire(board.id);
          socket.data.boards.set(board.id, room);
        }
        ensureParticipantListed(room, identity);
        void socket.join(boardRoom(board.id));
        const used = identity.role === 'participant' ? dotsUsed(room.doc, identity.id) : 0;
        ack({
          ok: true,
          state: app.sessionState(board.id),
          votes: { budget: config.voteBudget, remaining: Math.max(0, config.voteBudget - used) }
        });
      });

      socket.on('vote:cast', (payload, ack) => {
        if (!guard(ack) || !allowed(ack)) return;
        if (!VoteCastPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
        const joined = socket.data.boards.get(payload.boardId);
        if (!joined) return ack({ ok: false, error: controlError('NOT_JOINED') });
        const room = joined.isClosed ? app.rooms.acquire(payload.boardId) : joined;
        if (room !== joined) {
          app.rooms.release(joined);
          socket.data.boards.set(payload.boardId, room);
        }
        const result = castVote(room, identity, payload.targetId, payload.delta, config.voteBudget);
        if (!result.ok) socketLog.info({ boardId: payload.boardId, code: result.error.code }, 'vote refused');
        ack(result);
      });

      socket.on('disconnect', (reason) => {
        for (const room of socket.data.boards.values()) app.rooms.release(room);
        socket.data.boards.clear();
        socketLog.info({ reason }, 'control connection closed');
      });
    });

    app.addHook('preClose', async () => {
      // Not io.close(): that would also close the HTTP server, which Fastify closes itself.
      io.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'realtime', dependencies: ['sync'] }
);
