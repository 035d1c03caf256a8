/**
 * Tokens this browser holds, per workshop code (always upper case):
 * `minga:fac:<CODE>` → the facilitator token (a string);
 * `minga:part:<CODE>` → `{ token, participantId }` of the participant who joined here.
 */
export interface ParticipantEntry {
	token: string;
	participantId: string;
}

export type StoredToken = { role: 'facilitator'; token: string } | { role: 'participant'; token: string; participantId: string };

const facKey = (code: string) => `minga:fac:${code.toUpperCase()}`;
const partKey = (code: string) => `minga:part:${code.toUpperCase()}`;

function read(key: string): string | null {
	try {
		return localStorage.getItem(key);
	} catch {
		return null; // storage disabled (private mode, policy): behave as a fresh browser
	}
}

function write(key: string, value: string | null): void {
	try {
		if (value === null) localStorage.removeItem(key);
		else localStorage.setItem(key, value);
	} catch {
		// nothing to do: the user will have to join again next time
	}
}

export const tokens = {
	facilitator: (code: string): string | null => read(facKey(code)) || null,
	participant(code: string): ParticipantEntry | null {
		const raw = read(partKey(code));
		if (!raw) return null;
		try {
			const v = JSON.parse(raw) as Partial<ParticipantEntry>;
			return typeof v.token === 'string' && typeof v.participantId === 'string'
				? { token: v.token, participantId: v.participantId }
				: null;
		} catch {
			return null;
		}
	},
	/** The token to use for a workshop: the facilitator's wins over the participant's. */
	best(code: string): StoredToken | null {
		const fac = tokens.facilitator(code);
		if (fac) return { role: 'facilitator', token: fac };
		const part = tokens.participant(code);
		return part ? { role: 'participant', ...part } : null;
	},
	setFacilitator: (code: string, token: string) => write(facKey(code), token),
	setParticipant: (code: string, entry: ParticipantEntry) => write(partKey(code), JSON.stringify(entry)),
	/** Forget a token the server no longer accepts. */
	forget(code: string, token: string): void {
		if (tokens.facilitator(code) === token) write(facKey(code), null);
		if (tokens.participant(code)?.token === token) write(partKey(code), null);
	}
};

/** Join codes are 6 letters or digits; users may type them in lower case or with spaces. */
export const normaliseCode = (raw: string) => raw.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);

/** The facilitator's link: the token travels in the fragment, which never reaches the server. */
export const facilitatorLink = (joinUrl: string, token: string) => `${joinUrl}/facilitar#${token}`;
