/**
 * Ideas that others post, told to screen readers in batches: the first arrival opens a window,
 * everything that arrives in it is counted by question, and the window closes with one message
 * ("3 ideas nuevas en Pregunta 2"). A window is not extended by later arrivals, so a room of 60
 * people typing gives one message per window, never a flood and never silence.
 */

/** How long arrivals are collected before one message tells them (ms). */
export const ARRIVAL_WINDOW_MS = 2500;
/** Questions named in one message; the others are summed ("y 4 en otras preguntas"). */
export const ARRIVAL_QUESTIONS_NAMED = 2;

/** `question`: its number on the board (1-based); `n`: ideas that arrived in it. */
export interface ArrivalCount {
	question: number;
	n: number;
}

export class ArrivalBatch {
	private counts = new Map<number, number>();
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly flush: (counts: ArrivalCount[]) => void,
		private readonly windowMs = ARRIVAL_WINDOW_MS
	) {}

	add(question: number, n = 1): void {
		if (n <= 0) return;
		this.counts.set(question, (this.counts.get(question) ?? 0) + n);
		this.timer ??= setTimeout(() => this.close(), this.windowMs);
	}

	/** Busiest question first; equal counts in board order. */
	private close(): void {
		this.timer = undefined;
		const out = [...this.counts].map(([question, n]) => ({ question, n })).sort((a, b) => b.n - a.n || a.question - b.question);
		this.counts.clear();
		if (out.length) this.flush(out);
	}

	destroy(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.counts.clear();
	}
}

/** What arrivalMessage needs of I18n (keys in web/src/lib/i18n). */
export interface ArrivalWords {
	t(key: 'announceArrivalPart' | 'announceArrivalRest' | 'listAnd', params?: Record<string, string | number>): string;
	plural(base: 'announceArrivalsIn' | 'announceArrivals', n: number, params?: Record<string, string | number>): string;
}

/** "3 ideas nuevas en Pregunta 2", or "7 ideas nuevas: 4 en Pregunta 2, 2 en Pregunta 1 y 1 en otras preguntas". */
export function arrivalMessage(counts: readonly ArrivalCount[], words: ArrivalWords): string {
	const total = counts.reduce((sum, c) => sum + c.n, 0);
	if (counts.length === 1) return words.plural('announceArrivalsIn', total, { q: counts[0]!.question });
	const named = counts.slice(0, counts.length > ARRIVAL_QUESTIONS_NAMED + 1 ? ARRIVAL_QUESTIONS_NAMED : counts.length);
	const parts = named.map((c) => words.t('announceArrivalPart', { n: c.n, q: c.question }));
	const rest = counts.slice(named.length).reduce((sum, c) => sum + c.n, 0);
	if (rest > 0) parts.push(words.t('announceArrivalRest', { n: rest }));
	const list = `${parts.slice(0, -1).join(', ')}${words.t('listAnd')}${parts.at(-1)}`;
	return words.plural('announceArrivals', total, { list });
}
