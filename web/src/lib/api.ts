/**
 * Typed client for the REST API of docs/api.md. Every 4xx/5xx answer of /api is
 * `{ statusCode, code, message, messageEn }`; it is thrown as an ApiError so pages can show the
 * message in the reader's language.
 */
import type { Comuna, SectorId } from '../../../seed/reference';

/** The API's own schemas: one definition for the server's routes and this client. */
export type { Challenge, Question } from '../../../server/src/schemas/challenges';
import type { Challenge } from '../../../server/src/schemas/challenges';
import type { SuggestionsResponse } from '../../../server/src/schemas/suggestions';
export type { Checkpoint, RestoreAnswer } from '../../../server/src/schemas/checkpoints';
export type { WorkshopResults, BoardResults, RankedTarget } from '../../../server/src/schemas/results';
import type { WorkshopResults } from '../../../server/src/schemas/results';
import type { Checkpoint, RestoreAnswer } from '../../../server/src/schemas/checkpoints';

export interface CreatedWorkshop {
	workshopId: string;
	code: string;
	title: string;
	facilitatorToken: string;
	joinUrl: string;
	boards: WorkshopBoard[];
}

/** What `POST /api/workshops` takes: seeded challenges by id and/or the workshop's own. */
export interface NewWorkshop {
	title: string;
	challengeIds: string[];
	challenges: ChallengeDraft[];
}
import type { ChallengeDraft } from '../../../contract/challenges';

export interface WorkshopBoard {
	id: string;
	challengeId: string;
	number: number;
	title: string;
	url: string;
}

export interface Workshop {
	code: string;
	title: string;
	createdAt: string | number;
	/** Absolute join link (`<origin>/taller/<code>`) with the origin phones can reach: use it for QR codes. */
	joinUrl: string;
	/** Who may join now: anyone, people the facilitator approves, nobody. */
	joining: JoinPolicy;
	boards: WorkshopBoard[];
}

export type { JoinPolicy } from '../../../db/schema/workshops';
import type { JoinPolicy } from '../../../db/schema/workshops';
/** The join route's answers: in (201), or waiting for approval (202); and what a waiting browser reads. */
export type { JoinAnswer, Joined, JoinPending } from '../../../server/src/schemas/workshops';
import type { JoinAnswer, Joined, JoinPending } from '../../../server/src/schemas/workshops';
/** Why the server refuses a join (403), for the codes the join page acts on. */
export type { JoinRefusalCode } from '../../../server/src/errors';

export interface BoardInfo {
	id: string;
	url: string;
	workshop: { code: string; title: string };
	challenge: Challenge;
	/** Entered by the facilitator; shown on the exported proposal's title page. */
	teamName?: string | null;
}

export type Role = 'participant' | 'facilitator';

export interface Me {
	role: Role;
	id: string;
	workshopCode: string;
	name: string;
	sector: SectorId | null;
	comuna: Comuna | null;
}

/** An error answer of the API, or a network failure (status 0, code `NETWORK`). */
export class ApiError extends Error {
	override name = 'ApiError';
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly messageEn: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, token?: string): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (token) headers.authorization = `Bearer ${token}`;
	let res: Response;
	try {
		res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	} catch (cause) {
		throw new ApiError(
			0,
			'NETWORK',
			'No pudimos conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
			'We could not reach the server. Check your connection and try again.',
			{ cause }
		);
	}
	const data: unknown = await res.json().catch(() => null);
	if (!res.ok) {
		const e = (data ?? {}) as Partial<Record<'code' | 'message' | 'messageEn', string>>;
		throw new ApiError(
			res.status,
			e.code ?? `HTTP_${res.status}`,
			e.message ?? `Error del servidor (${res.status}).`,
			e.messageEn ?? e.message ?? `Server error (${res.status}).`
		);
	}
	return data as T;
}

const enc = encodeURIComponent;

export const api = {
	challenges: () => request<Challenge[]>('GET', '/api/challenges'),
	createWorkshop: (body: NewWorkshop) => request<CreatedWorkshop>('POST', '/api/workshops', body),
	/** Facilitators only: the challenge of each board of the workshop, seeded and its own. */
	workshopChallenges: (code: string, token: string) => request<Challenge[]>('GET', `/api/workshops/${enc(code)}/challenges`, undefined, token),
	workshop: (code: string) => request<Workshop>('GET', `/api/workshops/${enc(code)}`),
	join: (code: string, body: { name: string; sector: SectorId; comuna: Comuna }) =>
		request<Joined | JoinPending>('POST', `/api/workshops/${enc(code)}/join`, body),
	/** What the facilitator answered a waiting person; the secret came with the 202. */
	joinAnswer: (code: string, requestId: string, secret: string) =>
		request<JoinAnswer>('GET', `/api/workshops/${enc(code)}/join-requests/${enc(requestId)}`, undefined, secret),
	board: (id: string) => request<BoardInfo>('GET', `/api/boards/${enc(id)}`),
	me: (token: string) => request<Me>('GET', '/api/me', undefined, token),
	/** Facilitators only: a new facilitator token; the one sent stops working at once. */
	rotateFacilitatorToken: (code: string, token: string) =>
		request<{ facilitatorToken: string }>('POST', `/api/workshops/${enc(code)}/facilitator-token`, undefined, token),
	/** Suggested groups for a question's ungrouped ideas (facilitators; participants when allowed). Writes nothing. */
	suggestions: (boardId: string, questionId: string, token: string) =>
		request<SuggestionsResponse>('GET', `/api/boards/${enc(boardId)}/suggestions?questionId=${enc(questionId)}`, undefined, token),
	/** Facilitators only; an empty name clears it. */
	setTeamName: (boardId: string, teamName: string | null, token: string) =>
		request<{ teamName: string | null }>('PUT', `/api/boards/${enc(boardId)}/team`, { teamName }, token),
	/** Facilitators only: the board's checkpoints, newest first. */
	checkpoints: (boardId: string, token: string) => request<{ checkpoints: Checkpoint[] }>('GET', `/api/boards/${enc(boardId)}/checkpoints`, undefined, token),
	/** Facilitators; participants once published (403 RESULTS_NOT_PUBLISHED before). */
	results: (code: string, token: string, lang: 'es' | 'en') =>
		request<WorkshopResults>('GET', `/api/workshops/${enc(code)}/results?lang=${lang}`, undefined, token),
	publishResults: (code: string, published: boolean, token: string) =>
		request<{ publishedAt: number | null }>('PUT', `/api/workshops/${enc(code)}/results/published`, { published }, token),
	restoreCheckpoint: (boardId: string, checkpointId: number, token: string) =>
		request<RestoreAnswer>('POST', `/api/boards/${enc(boardId)}/checkpoints/${checkpointId}/restore`, undefined, token)
};
