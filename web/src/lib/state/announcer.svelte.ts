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

export class Announcer {
	message = $state('');
	notices = $state<Notice[]>([]);
	private nextId = 1;

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

}
