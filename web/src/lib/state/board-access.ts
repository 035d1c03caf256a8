/**
 * Who opens a board from this browser: loads the board, then tries the tokens this browser holds
 * for its workshop (facilitator first) and checks each with GET /api/me.
 */
import { api, ApiError, type BoardInfo, type Me } from '$lib/api';
import { tokens } from '$lib/tokens';
import { rememberBoard, rememberedBoard } from '$lib/offline/board-copy';

export type BoardAccess =
	| { status: 'loading' }
	| { status: 'notFound' }
	| { status: 'error'; error: unknown }
	/** No token of this workshop works here: join it first. */
	| { status: 'join'; code: string }
	| { status: 'ready'; info: BoardInfo; me: Me; token: string };

export async function openBoard(boardId: string): Promise<BoardAccess> {
	try {
		const info = await api.board(boardId);
		const code = info.workshop.code.toUpperCase();
		for (const token of [tokens.facilitator(code), tokens.participant(code)?.token]) {
			if (!token) continue;
			try {
				const me = await api.me(token);
				if (me.workshopCode.toUpperCase() === code) {
					rememberBoard(info, me);
					return { status: 'ready', info, me, token };
				}
			} catch (e) {
				if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) throw e;
			}
			tokens.forget(code, token);
		}
		return { status: 'join', code };
	} catch (e) {
		// Offline: the board as this browser last opened it (its docs come from this device too).
		const copy = e instanceof ApiError && e.code === 'NETWORK' ? rememberedBoard(boardId) : null;
		if (copy) return { status: 'ready', ...copy };
		return e instanceof ApiError && e.status === 404 ? { status: 'notFound' } : { status: 'error', error: e };
	}
}
