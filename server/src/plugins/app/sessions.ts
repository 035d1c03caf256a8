import fp from 'fastify-plugin';
import type { SessionState } from '../../realtime/events.ts';
import { phaseGate } from '../../sessions/phase-gate.ts';
import { toPublicState, type SessionRecord } from '../../sessions/session-state.ts';
import { createPgSessionStore, createSessionStore } from '../../sessions/session-store.ts';
import { Sessions } from '../../sessions/sessions.ts';
import { OpenCasts, roundLock } from '../../realtime/open-casts.ts';
import { PgAdvisoryLock } from '../../sync/storage/pg-advisory-lock.ts';
import { createPgVoteStore, createVoteStore, storeRoundChange, type VoteStore } from '../../sessions/vote-rounds.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions;
    /** Closed voting rounds and a blind round's ballots (server/src/sessions/vote-rounds.ts). */
    votes: VoteStore;
    /**
     * With PostgreSQL and Redis, where several processes may serve one board: runs a participant's
     * open-round casts one at a time across all of them, each on a doc holding the one before
     * (realtime/open-casts.ts). Null with one process (SQLite, or PostgreSQL without Redis), whose
     * own doc is always current.
     */
    openCasts: OpenCasts | null;
    /** The session state of a board as clients see it, on the server's clock now. */
    sessionState(boardId: string): SessionState;
    /** Listeners for session changes (the control plane broadcasts them). */
    onSessionChange(listener: (boardId: string, record: SessionRecord) => void): void;
  }
}

/** Facilitated sessions: the authoritative phase, timer and lock of each board. */
export default fp(
  async (app) => {
    const listeners = new Set<(boardId: string, record: SessionRecord) => void>();
    const votes = app.pg ? createPgVoteStore(app.pg.db) : createVoteStore(app.db);
    const castLock = app.pg && app.redis ? new PgAdvisoryLock(app.pg.pool) : null;
    const sessions = new Sessions(app.pg ? createPgSessionStore(app.pg.db) : createSessionStore(app.db), {
      voteBudget: app.config.voteBudget,
      storeChange: storeRoundChange({
        store: votes,
        rooms: app.rooms,
        storage: app.boardStorage,
        exclusive: castLock && ((boardId, work) => castLock.run(roundLock(boardId), work))
      }),
      onChange: (boardId, record) => {
        for (const listener of listeners) listener(boardId, record);
      }
    });
    await sessions.restore();
    app.decorate('sessions', sessions);
    app.decorate('votes', votes);
    app.decorate('openCasts', castLock && app.redis ? new OpenCasts(castLock, app.redis.connect('casts', { offlineQueue: false }), sessions) : null);
    app.decorate('sessionState', (boardId: string) => toPublicState(boardId, sessions.get(boardId), Date.now()));
    app.decorate('onSessionChange', (listener: (boardId: string, record: SessionRecord) => void) => {
      listeners.add(listener);
    });
    app.setWriteGate(phaseGate((boardId) => sessions.get(boardId)));
    app.addHook('onClose', async () => {
      sessions.stop();
      await castLock?.close();
    });
  },
  { name: 'sessions', dependencies: ['sync'] }
);
