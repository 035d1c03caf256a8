/**
 * "Exportar": downloads a board's proposal draft (`GET /api/boards/:id/export.<format>`), or any
 * other export (the workshop's report and data), with the
 * token in the Authorization header (never in a URL), reading the body as a stream so a long
 * export shows progress against Content-Length, then saves it under the server's filename.
 */
import { ApiError } from '$lib/api';
import type { Lang } from '$lib/i18n/index.svelte';

export const EXPORT_FORMATS = ['docx', 'md', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** waiting: request sent, no headers yet (indeterminate); receiving: body arriving. */
export type ExportPhase = 'idle' | 'waiting' | 'receiving' | 'done' | 'error';

/** How long a Blob URL stays valid after the download starts (ms): some browsers read it late. */
const BLOB_URL_TTL_MS = 60_000;

const NETWORK_ERROR = () =>
	new ApiError(
		0,
		'NETWORK',
		'No pudimos conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
		'We could not reach the server. Check your connection and try again.'
	);

/** The filename of a `Content-Disposition` header (RFC 6266: `filename*` wins), without any path. */
export function filenameFrom(header: string | null): string | null {
	if (!header) return null;
	const star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(header);
	let name: string | null = null;
	if (star) {
		try {
			name = decodeURIComponent(star[1]!.trim());
		} catch {
			name = null;
		}
	}
	name ??= /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1] ?? null;
	const base = name?.split(/[\\/]/).pop()?.trim();
	return base ? base : null;
}

async function errorOf(res: Response): Promise<ApiError> {
	const body = (await res.json().catch(() => ({}))) as Partial<Record<'code' | 'message' | 'messageEn', string>>;
	return new ApiError(
		res.status,
		body.code ?? `HTTP_${res.status}`,
		body.message ?? `Error del servidor (${res.status}).`,
		body.messageEn ?? body.message ?? `Server error (${res.status}).`
	);
}

function save(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	a.hidden = true;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_TTL_MS);
}

export class BoardExport<F extends string = ExportFormat> {
	phase = $state<ExportPhase>('idle');
	format = $state<F | null>(null);
	received = $state(0);
	/** Bytes announced by Content-Length; null while unknown (indeterminate progress). */
	total = $state<number | null>(null);
	filename = $state<string | null>(null);
	error = $state<ApiError | null>(null);
	/** 0..1, or null while indeterminate. */
	readonly progress = $derived(this.phase === 'receiving' && this.total ? Math.min(1, this.received / this.total) : null);
	readonly busy = $derived(this.phase === 'waiting' || this.phase === 'receiving');

	private controller: AbortController | null = null;

	constructor(
		readonly boardId: string,
		private readonly token: string,
		/** Where format F is downloaded from (default: the board's proposal draft). */
		private readonly pathOf: (format: F, lang: Lang) => string = (format, lang) => `/api/boards/${encodeURIComponent(boardId)}/export.${format}?lang=${lang}`
	) {}

	async run(format: F, lang: Lang): Promise<boolean> {
		this.cancel();
		const controller = new AbortController();
		this.controller = controller;
		this.phase = 'waiting';
		this.format = format;
		this.received = 0;
		this.total = null;
		this.filename = null;
		this.error = null;
		try {
			const res = await fetch(this.pathOf(format, lang), {
				headers: { authorization: `Bearer ${this.token}` },
				cache: 'no-store',
				signal: controller.signal
			});
			if (!res.ok) throw await errorOf(res);
			const length = Number(res.headers.get('content-length'));
			// A compressed body's length does not count the bytes the stream hands us.
			this.total = length > 0 && !res.headers.get('content-encoding') ? length : null;
			this.phase = 'receiving';
			const chunks: Uint8Array<ArrayBuffer>[] = [];
			const reader = res.body?.getReader();
			if (reader) {
				for (let r = await reader.read(); !r.done; r = await reader.read()) {
					chunks.push(r.value);
					this.received += r.value.byteLength;
				}
			}
			const filename = filenameFrom(res.headers.get('content-disposition')) ?? `${this.boardId}.${format}`;
			save(new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' }), filename);
			this.filename = filename;
			this.phase = 'done';
			return true;
		} catch (e) {
			if (controller.signal.aborted) return false;
			this.error = e instanceof ApiError ? e : NETWORK_ERROR();
			this.phase = 'error';
			return false;
		} finally {
			if (this.controller === controller) this.controller = null;
		}
	}

	/** Stops a running export (nothing is saved). */
	cancel(): void {
		if (!this.controller) return;
		this.controller.abort();
		this.controller = null;
		this.phase = 'idle';
	}

	dismiss(): void {
		if (!this.busy) this.phase = 'idle';
	}
}
