/**
 * Challenges extracted from a pasted call for proposals, with the seed's own parser (the programme's
 * format: "DESAFÍO N", its title, "¿…?, ¿…?", context). Runs in the browser: nothing is sent.
 */
import { MAX_CALL_TEXT_CHARS, MAX_CHALLENGE_NUMBER, type ChallengeDraft } from '../../../../contract/challenges';
import { parseSource } from '../../../../seed/parse-source';

export type Extraction = { ok: true; drafts: ChallengeDraft[] } | { ok: false; reason: 'empty' | 'tooLong' | 'noneFound' };

export function extractChallenges(text: string): Extraction {
	if (text.trim() === '') return { ok: false, reason: 'empty' };
	if ([...text].length > MAX_CALL_TEXT_CHARS) return { ok: false, reason: 'tooLong' };
	const found = parseSource(text);
	if (found.length === 0) return { ok: false, reason: 'noneFound' };
	// Verbatim: the title as printed; the facilitator fixes what they want in the preview.
	return {
		ok: true,
		drafts: found.map((c) => ({
			title: c.sourceTitle,
			context: c.context.join('\n\n'),
			questions: c.questions,
			...(c.number >= 1 && c.number <= MAX_CHALLENGE_NUMBER ? { number: c.number } : {})
		}))
	};
}
