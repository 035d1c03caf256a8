/**
 * Socket.io events of the control plane: the server's typed map, shared with `import type` so a
 * renamed event breaks the build of both sides.
 */
export type {
	BoardStats,
	ClientToServerEvents,
	ErrorInfo as ErrorBody,
	JoiningState,
	PastRound,
	Phase,
	PhasePlan,
	ServerToClientEvents,
	SessionCommand,
	SessionPhase,
	SessionState,
	VotingRound,
	WaitingPerson
} from '../../../../server/src/realtime/events';
