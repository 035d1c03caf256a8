/**
 * Facilitators' `session:command` over the control plane, shared by the board page and the
 * control room: one place that waits for the ack and turns a silent server into an error.
 */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ErrorBody, ServerToClientEvents, SessionCommand, SessionState } from './events';

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for an acknowledgement before telling the user (ms). */
export const ACK_TIMEOUT_MS = 8000;

export const TIMEOUT_ERROR: ErrorBody = {
	code: 'TIMEOUT',
	message: 'El servidor no respondió a tiempo. Inténtalo de nuevo.',
	messageEn: 'The server did not answer in time. Please try again.'
};

export const OFFLINE_ERROR: ErrorBody = {
	code: 'OFFLINE',
	message: 'Sin conexión con el servidor: espera a que vuelva e inténtalo de nuevo.',
	messageEn: 'No connection to the server: wait for it to come back and try again.'
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command without its board: the caller knows which board it is for. */
export type BoardCommand = DistributiveOmit<SessionCommand, 'boardId'>;

/** `undoToken`: after `end`, what `restore` needs to undo it for a few seconds. */
export type CommandResult = { ok: true; state: SessionState; undoToken?: string } | { ok: false; error: ErrorBody };

/** Sends one command and waits for its ack; never throws. */
export async function sendCommand(socket: ControlSocket, boardId: string, cmd: BoardCommand): Promise<CommandResult> {
	if (!socket.connected) return { ok: false, error: OFFLINE_ERROR };
	try {
		const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('session:command', { boardId, ...cmd } as SessionCommand);
		return res.ok ? { ok: true, state: res.state, undoToken: res.undoToken } : { ok: false, error: res.error };
	} catch {
		return { ok: false, error: TIMEOUT_ERROR };
	}
}
