/**
 * Bounds of a challenge a workshop writes for itself (docs/api.md, `POST /api/workshops`): one
 * source for the server's schema, the web app's form and the tests. Lengths count characters
 * (Unicode code points), as JSON Schema's `maxLength` does.
 */

/** Boards of one workshop: seeded challenges and its own together. */
export const MAX_CHALLENGES_PER_WORKSHOP = 8;
export const MIN_QUESTIONS_PER_CHALLENGE = 1;
export const MAX_QUESTIONS_PER_CHALLENGE = 8;
/** The programme's own titles reach 265 characters (Coquimbo 2022, desafío 5). */
export const MAX_CHALLENGE_TITLE_CHARS = 300;
export const MAX_CHALLENGE_CONTEXT_CHARS = 4_000;
export const MAX_QUESTION_CHARS = 400;
/** A challenge's number, as a call for proposals prints it ("DESAFÍO 4"). */
export const MAX_CHALLENGE_NUMBER = 999;
/** A pasted call-for-proposals text (the Coquimbo 2022 one is 13,000 characters). */
export const MAX_CALL_TEXT_CHARS = 200_000;

/** A challenge as a facilitator writes it; what `POST /api/workshops` takes in `challenges`. */
export interface ChallengeDraft {
  title: string;
  /** Paragraphs separated by a blank line; may be empty or left out. */
  context?: string;
  questions: string[];
  /**
   * The number it has in its call for proposals (kept when no other challenge of the workshop has
   * it); without it, or when taken, the server gives the smallest number left free.
   */
  number?: number;
}

export type DraftProblem =
  | { field: 'title' | 'question'; code: 'required' | 'tooLong'; index?: number; limit?: number }
  | { field: 'context'; code: 'tooLong'; limit: number }
  | { field: 'questions'; code: 'tooFew' | 'tooMany'; limit: number };

const chars = (s: string) => [...s].length;

/**
 * What the server would refuse in a draft, field by field (the web shows it beside each field).
 * `index` is the question's position, from 0.
 */
export function draftProblems(draft: ChallengeDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (draft.title.trim() === '') problems.push({ field: 'title', code: 'required' });
  else if (chars(draft.title) > MAX_CHALLENGE_TITLE_CHARS) problems.push({ field: 'title', code: 'tooLong', limit: MAX_CHALLENGE_TITLE_CHARS });
  if (chars(draft.context ?? '') > MAX_CHALLENGE_CONTEXT_CHARS) problems.push({ field: 'context', code: 'tooLong', limit: MAX_CHALLENGE_CONTEXT_CHARS });
  draft.questions.forEach((q, index) => {
    if (q.trim() === '') problems.push({ field: 'question', code: 'required', index });
    else if (chars(q) > MAX_QUESTION_CHARS) problems.push({ field: 'question', code: 'tooLong', index, limit: MAX_QUESTION_CHARS });
  });
  if (draft.questions.length < MIN_QUESTIONS_PER_CHALLENGE) problems.push({ field: 'questions', code: 'tooFew', limit: MIN_QUESTIONS_PER_CHALLENGE });
  if (draft.questions.length > MAX_QUESTIONS_PER_CHALLENGE) problems.push({ field: 'questions', code: 'tooMany', limit: MAX_QUESTIONS_PER_CHALLENGE });
  return problems;
}

/** How a context is stored: paragraphs on one line each, separated by one blank line. */
export function normaliseContext(text: string): string {
  return text
    .split(/\n\s*\n/u)
    .map((p) => p.replace(/\s+/gu, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

/** How a title or a question is stored: one line, no surrounding spaces. */
export const normaliseLine = (text: string) => text.replace(/\s+/gu, ' ').trim();
