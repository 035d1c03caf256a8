/**
 * What the board tells its users: short screen-reader announcements (a polite, visually hidden
 * live region) and visible notices (errors, connection), also announced politely.
 */
export interface Notice {
	id: number;
	text: string;
	kind: 'error' | 'info';
}

/** How long a notice stays on screen (ms). Errors stay longer: they need to be read. */
const NOTICE_MS = { info: 5000, error: 9000 } as const;
/** Remote ideas are counted for this long, then announced once (ms), so a busy board is not noisy. */
const BATCH_MS = 4000;

export class Announcer {
	message = $state('');
	notices = $state<Notice[]>([]);
	private nextId = 1;
	private batched = 0;
	private batchTimer: ReturnType<typeof setTimeout> | undefined;

	/** Announces to screen readers only. The same text twice is announced twice. */
	say(text: string): void {
		this.message = '';
		setTimeout(() => (this.message = text), 30);
	}

	/** Shows a notice on screen (and announces it). */
	notify(text: string, kind: Notice['kind'] = 'info'): void {
		const id = this.nextId++;
		this.notices = [...this.notices.filter((n) => n.text !== text), { id, text, kind }].slice(-3);
		setTimeout(() => this.dismiss(id), NOTICE_MS[kind]);
	}

	dismiss(id: number): void {
		this.notices = this.notices.filter((n) => n.id !== id);
	}

	/** Counts ideas that arrived from others; `format(n)` makes the sentence when the batch closes. */
	countArrivals(n: number, format: (total: number) => string): void {
		this.batched += n;
		clearTimeout(this.batchTimer);
		this.batchTimer = setTimeout(() => {
			const total = this.batched;
			this.batched = 0;
			if (total > 0) this.say(format(total));
		}, BATCH_MS);
	}

	destroy(): void {
		clearTimeout(this.batchTimer);
	}
}
