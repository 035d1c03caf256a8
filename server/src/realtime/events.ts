/**
 * The one typed map of Socket.io events, imported with `import type` by the server and the web
 * app: renaming an event breaks the build, not production.
 */

export interface ErrorInfo {
  code: string;
  message: string;
  messageEn: string;
}

export type Phase = 'abierto' | 'ideacion' | 'agrupacion' | 'votacion' | 'discusion' | 'cierre';
export type SessionStatus = 'idle' | 'running' | 'paused' | 'expired';

export interface SessionState {
  boardId: string;
  phase: Phase;
  status: SessionStatus;
  /** ms since epoch on the server's clock, or null without a running timer. */
  endsAt: number | null;
  remainingMs: number | null;
  locked: boolean;
  /** The server's clock when this state was sent: clients render `endsAt` against it. */
  serverNow: number;
}

export interface VoteAllowance {
  budget: number;
  remaining: number;
}

export type Ack<T extends object> = (answer: ({ ok: true } & T) | { ok: false; error: ErrorInfo }) => void;

export interface BoardJoinPayload {
  boardId: string;
}
export interface VoteCastPayload {
  boardId: string;
  targetId: string;
  delta: 1 | -1;
}

export interface ClientToServerEvents {
  'board:join': (payload: BoardJoinPayload, ack: Ack<{ state: SessionState; votes: VoteAllowance }>) => void;
  'vote:cast': (payload: VoteCastPayload, ack: Ack<{ remaining: number }>) => void;
}

export interface ServerToClientEvents {
  'session:state': (state: SessionState) => void;
}
