/**
 * Socket.io events of the control plane: the server's typed map, shared with `import type` so a
 * renamed event breaks the build of both sides.
 */
export type {
	ClientToServerEvents,
	ErrorInfo as ErrorBody,
	Phase,
	ServerToClientEvents,
	SessionState
} from '../../../../server/src/realtime/events';
