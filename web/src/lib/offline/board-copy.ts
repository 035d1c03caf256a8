/**
 * What a board page needs before its docs open (the board's challenge, who this person is, the
 * session as last seen), kept in localStorage as `minga:board:<boardId>` → `{ info, me, session }`,
 * so a page reloaded offline opens the board with the token this browser still holds (and writes
 * into the private doc if private ideation was on). Never a token; removed by "salir y borrar".
 */
import type { BoardInfo, Me } from '$lib/api';
import type { SessionState } from '$lib/sync/events';
import { tokens } from '$lib/tokens';

const PREFIX = 'minga:board:';

interface Copy {
	info: BoardInfo;
	me: Me;
	session?: SessionState | null;
}

function read(boardId: string): Copy | null {
	try {
		const copy = JSON.parse(localStorage.getItem(PREFIX + boardId) ?? 'null') as Copy | null;
		return copy?.info?.workshop && copy.me ? copy : null;
	} catch {
		return null;
	}
}

function write(copy: Copy): void {
	try {
		localStorage.setItem(PREFIX + copy.info.id, JSON.stringify(copy));
	} catch {
		// storage full or disabled: the page just cannot open offline
	}
}

export const rememberBoard = (info: BoardInfo, me: Me) => write({ info, me, session: read(info.id)?.session ?? null });

/** The session as last seen, for a page opened offline (null once online: the server's wins). */
export const rememberedSession = (boardId: string): SessionState | null => read(boardId)?.session ?? null;

export function rememberSession(session: SessionState): void {
	const copy = read(session.boardId);
	if (copy) write({ ...copy, session });
}

/** The stored copy of a board and the token it was opened with, if this browser still holds it. */
export function rememberedBoard(boardId: string): (Copy & { token: string }) | null {
	const copy = read(boardId);
	if (!copy) return null;
	const code = copy.info.workshop.code;
	const part = tokens.participant(code);
	const token = copy.me.role === 'facilitator' ? tokens.facilitator(code) : part?.participantId === copy.me.id ? part.token : null;
	return token ? { info: copy.info, me: copy.me, token } : null;
}

/** Forgets the stored boards of a workshop. */
export function forgetBoards(workshopCode: string): void {
	try {
		const code = workshopCode.toUpperCase();
		const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((k): k is string => !!k?.startsWith(PREFIX));
		for (const key of keys) {
			const copy = JSON.parse(localStorage.getItem(key) ?? 'null') as Copy | null;
			if (copy?.info?.workshop?.code?.toUpperCase() === code) localStorage.removeItem(key);
		}
	} catch {
		// nothing stored, or storage disabled
	}
}
