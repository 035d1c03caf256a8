import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { openBoard } from '$lib/state/board-access';
import type { PageLoad } from './$types';

/** Where to join the board's workshop, coming back here after (`why`: why the token stopped working). */
export function joinPath(code: string, boardId: string, why?: 'expired' | 'removed'): string {
	const back = encodeURIComponent(resolve('/tablero/[id]', { id: boardId }));
	const reason = why === 'removed' ? '&acceso=retirado' : why === 'expired' ? '&acceso=vencido' : '';
	return resolve(`/taller/[code]?volver=${back}${reason}`, { code });
}

/**
 * The board and who opens it, before the page is shown: SvelteKit then announces the board's
 * title on arrival (its route announcer reads the document title), not "Cargando…". Links preload
 * it on hover or touch.
 */
export const load: PageLoad = async ({ params }) => {
	const access = await openBoard(params.id);
	if (access.status === 'join') redirect(307, joinPath(access.code, params.id));
	return { access };
};
