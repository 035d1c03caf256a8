/**
 * The board's proposal draft ("Borrador de propuesta"): whether this person may write it now, the
 * panel, the team name, and "Llevar al borrador". The text itself lives in the board's Y.Doc
 * (proposal-text.ts); each section's editor binds to it (lib/editor/section-editor.ts).
 */
import { createContext } from 'svelte';
import { api, type BoardInfo, type Me } from '$lib/api';
import type { BoardDoc } from './board-doc.svelte';
import type { BoardSession } from './board-session.svelte';
import { BoardExport } from './export.svelte';
import { appendLines, type Line, type ProposalSectionKey } from './proposal-text';

/** How long the team name waits after the last keystroke before it is saved (ms). */
export const TEAM_SAVE_DEBOUNCE_MS = 900;
export const MAX_TEAM_NAME_CHARS = 120;

/** Why the draft is read-only now: the board is locked, or the phase is not open/discussion. */
export type DraftBlock = 'locked' | 'phase' | null;
export type TeamStatus = 'idle' | 'saving' | 'saved' | 'error';

export class Proposal {
	open = $state(false);
	/** Opened at least once: the editors (and Quill) load then, and stay. */
	opened = $state(false);
	teamName = $state<string | null>(null);
	teamStatus = $state<TeamStatus>('idle');
	teamError = $state<unknown>(null);

	private teamTimer: ReturnType<typeof setTimeout> | undefined;
	private savedTeam: string | null;
	private readonly stopTeam: () => void;

	constructor(
		readonly info: BoardInfo,
		readonly me: Me,
		readonly doc: BoardDoc,
		readonly session: BoardSession,
		private readonly token: string
	) {
		this.teamName = info.teamName ?? null;
		this.savedTeam = this.teamName;
		this.stopTeam = session.onTeamName((name) => this.receiveTeam(name));
	}

	/** Another facilitator's (or this one's) saved name; what this facilitator is still typing wins. */
	private receiveTeam(name: string | null): void {
		const typing = this.teamTimer !== undefined || this.teamStatus === 'saving';
		if (this.isFacilitator && typing) return;
		this.teamName = name;
		this.savedTeam = name;
	}

	/** Participants write while the board is open or in discussion, never locked (docs/api.md). */
	get block(): DraftBlock {
		const block = this.session.block('proposal');
		return block === 'locked' ? 'locked' : block ? 'phase' : null;
	}

	get writable(): boolean {
		return this.block === null;
	}

	/** The doc has synced: editors may bind and write. */
	get ready(): boolean {
		return !!this.doc.live?.synced;
	}

	get isFacilitator(): boolean {
		return this.me.role === 'facilitator';
	}

	toggle(open = !this.open): void {
		this.open = open;
		if (open) this.opened = true;
	}

	/** "Llevar al borrador": false when the draft cannot be written now (the caller says why). */
	bring(key: ProposalSectionKey, lines: readonly Line[]): boolean {
		const live = this.doc.live;
		if (!this.writable || !live?.synced) return false;
		appendLines(live.doc, key, lines);
		return true;
	}

	/** Facilitators: the name as typed; saved after a pause, or at once with `now`. */
	editTeam(value: string, now = false): void {
		if (value !== this.teamName && this.teamStatus === 'saved') this.teamStatus = 'idle';
		this.teamName = value;
		clearTimeout(this.teamTimer);
		this.teamTimer = undefined;
		if (now) void this.saveTeam();
		else
			this.teamTimer = setTimeout(() => {
				this.teamTimer = undefined;
				void this.saveTeam();
			}, TEAM_SAVE_DEBOUNCE_MS);
	}

	private async saveTeam(): Promise<void> {
		const name = (this.teamName ?? '').trim().slice(0, MAX_TEAM_NAME_CHARS) || null;
		if (name === this.savedTeam) {
			if (this.teamStatus === 'error') this.teamStatus = 'idle';
			return;
		}
		this.teamStatus = 'saving';
		try {
			const res = await api.setTeamName(this.info.id, name, this.token);
			this.savedTeam = res.teamName;
			this.teamStatus = 'saved';
			this.teamError = null;
		} catch (e) {
			this.teamStatus = 'error';
			this.teamError = e;
		}
	}

	destroy(): void {
		clearTimeout(this.teamTimer);
		this.stopTeam();
	}
}

export interface Draft {
	proposal: Proposal;
	exporter: BoardExport;
}

export const [useDraft, provideDraft] = createContext<Draft>();

/** Made once by the board, next to its doc and session. */
export function createDraft(info: BoardInfo, me: Me, doc: BoardDoc, session: BoardSession, token: string): Draft {
	return { proposal: new Proposal(info, me, doc, session, token), exporter: new BoardExport(info.id, token) };
}
