/**
 * The one typed map of Socket.io events, imported with `import type` by the server and the web
 * app: renaming an event breaks the build, not production.
 */
import type { Static } from '@sinclair/typebox';
import type { JoinPolicy } from '../../../db/schema/workshops.ts';
import type { BoardJoinSchema, JoiningDecideSchema, JoiningSetSchema, SessionCommandSchema, VoteCastSchema } from '../schemas/events.ts';
import type { RoundOrigin, RoundResult } from '../../../db/schema/votes.ts';

export type { RoundOrigin, RoundResult };

export interface ErrorInfo {
  code: string;
  message: string;
  messageEn: string;
}

import type { Phase, SessionPhase } from '../../../contract/phases.ts';

export { SESSION_PHASES } from '../../../contract/phases.ts';
export type { Phase, SessionPhase };
/** idle: no countdown; running/paused: a countdown; expired: the countdown reached zero ("Tiempo"). */
export type SessionStatus = 'idle' | 'running' | 'paused' | 'expired';

/** Minutes per phase (0: no countdown). `cierre` has none. */
export type PhasePlan = Record<Exclude<SessionPhase, 'cierre'>, number>;

export interface SessionState {
  boardId: string;
  phase: Phase;
  status: SessionStatus;
  /** ms since epoch on the server's clock while running, else null. */
  endsAt: number | null;
  /** Time left (paused: frozen; running: at `serverNow`; expired: 0), or null without a countdown. */
  remainingMs: number | null;
  /** Length of the current phase's countdown, for progress bars; null without one. */
  durationMs: number | null;
  locked: boolean;
  /** The server's clock when this state was sent: clients render `endsAt` against it. */
  serverNow: number;
  plan: PhasePlan;
  /** Participants write ideas in a private doc until the facilitator reveals them. */
  privateIdeation: boolean;
  autoAdvance: boolean;
  voteBudget: number;
  /** Everyone's view follows the facilitator to `focusQuestionId`. */
  follow: boolean;
  focusQuestionId: string | null;
  /** Participants may ask for suggested groups (`GET /api/boards/:id/suggestions`) during `agrupacion`. */
  participantSuggestions: boolean;
  /** The voting round the board's `votes` map belongs to. */
  round: VotingRound;
  /** How the session's voting phase opens its round (set by `start`). */
  roundPlan: RoundPlan;
}

/**
 * A voting round: the open board's dots until a session's voting phase opens a new one. A blind
 * round keeps its dots off the board (each participant gets only their own) until revealed.
 */
export interface VotingRound {
  /** 1 is the open board's first round. */
  number: number;
  origin: RoundOrigin;
  blind: boolean;
  /** A blind round's dots are on the board (always false for a round that is not blind). */
  revealed: boolean;
  /** ms since epoch (0: the open board's round of a board created before rounds existed). */
  startedAt: number;
}

export interface RoundPlan {
  blind: boolean;
  /** The voting phase continues the open board's round (its dots count) instead of opening one. */
  keepOpenVotes: boolean;
}

/** A closed round, as kept, shown and exported. */
export interface PastRound {
  number: number;
  origin: RoundOrigin;
  blind: boolean;
  budget: number;
  startedAt: number;
  endedAt: number;
  /** People who put at least one dot. */
  voters: number;
  dots: number;
  /** Most dots first. */
  results: RoundResult[];
}

/** Live figures of a board for the facilitator's control room. */
export interface BoardStats {
  boardId: string;
  online: number;
  ideas: number;
  /** Ideas written in private docs not yet revealed (open docs only). */
  privateIdeas: number;
  clusters: number;
  votes: number;
  participants: number;
}

/** Validated by `SessionCommandPayload` (schemas/events.ts). */
export type SessionCommand = Static<typeof SessionCommandSchema>;

export type SessionAction = SessionCommand['action'];

/** Someone asking to join a workshop that requires approval. */
export interface WaitingPerson {
  id: string;
  name: string;
  sector: string;
  comuna: string;
  /** ms since epoch */
  createdAt: number;
}

/** Who may join the workshop now, and who waits for an answer (first come first). */
export interface JoiningState {
  policy: JoinPolicy;
  waiting: WaitingPerson[];
}

export interface VoteAllowance {
  budget: number;
  remaining: number;
  /** During a blind round before the reveal: this participant's own dots by target (the board shows no one's). */
  mine?: Record<string, number>;
}

/** A participant's own dots in a blind round, after each of their casts (to all their sockets on the board). */
export interface OwnBallots {
  boardId: string;
  remaining: number;
  mine: Record<string, number>;
}

export type Ack<T extends object> = (answer: ({ ok: true } & T) | { ok: false; error: ErrorInfo }) => void;

export type BoardJoinPayload = Static<typeof BoardJoinSchema>;
export type VoteCastPayload = Static<typeof VoteCastSchema>;

export interface ClientToServerEvents {
  'board:join': (payload: BoardJoinPayload, ack: Ack<{ state: SessionState; votes: VoteAllowance; teamName: string | null }>) => void;
  'vote:cast': (payload: VoteCastPayload, ack: Ack<{ remaining: number; mine?: Record<string, number> }>) => void;
  /** Facilitators only. `end` answers with an `undoToken` for `restore`. */
  'session:command': (payload: SessionCommand, ack: Ack<{ state: SessionState; undoToken?: string }>) => void;
  /** Facilitators only: the board's closed voting rounds, oldest first. */
  'rounds:list': (payload: BoardJoinPayload, ack: Ack<{ rounds: PastRound[] }>) => void;
  /** Facilitators only: every board of the workshop, their states and live figures. */
  'workshop:watch': (payload: Record<string, never>, ack: Ack<{ states: SessionState[]; stats: BoardStats[]; joining: JoiningState }>) => void;
  /** Facilitators only: open, close or require approval to join the workshop. */
  'joining:set': (payload: Static<typeof JoiningSetSchema>, ack: Ack<{ joining: JoiningState }>) => void;
  /** Facilitators only: let a waiting person in, or refuse them (their browser may not ask again). */
  'joining:decide': (payload: Static<typeof JoiningDecideSchema>, ack: Ack<{ joining: JoiningState }>) => void;
  /** The workshop's results page: facilitators, and participants once they are published. */
  'results:watch': (payload: Record<string, never>, ack: Ack<{ publishedAt: number | null }>) => void;
}

export interface ServerToClientEvents {
  'session:state': (state: SessionState) => void;
  'board:stats': (stats: BoardStats) => void;
  /** The facilitator named (or renamed) the board's team, for the exported title page. */
  'board:team': (info: { boardId: string; teamName: string | null }) => void;
  /** To the workshop's control rooms whenever the join policy or the waiting list changes. */
  'joining:state': (state: JoiningState) => void;
  /** Sent to a participant's sockets when a facilitator removed them. */
  'participant:removed': (info: { message: string; messageEn: string }) => void;
  /** A participant's own dots during a blind round (never anyone else's). */
  'votes:mine': (info: OwnBallots) => void;
  /** To results watchers, at most every 3 s: fetch GET /api/workshops/:code/results again. */
  'results:changed': (info: { publishedAt: number | null }) => void;
}
