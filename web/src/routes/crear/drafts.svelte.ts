/**
 * The challenges a facilitator writes, pastes or reuses on "Crear taller", before they are sent.
 * Each draft and each question row has a key that never changes, for `{#each}` and for the ids
 * focus moves to.
 */
import {
	draftProblems,
	MAX_QUESTIONS_PER_CHALLENGE,
	type ChallengeDraft,
	type DraftProblem
} from '../../../../contract/challenges';

/** Where a draft came from: written here, extracted from a pasted text, copied from an earlier workshop. */
export type DraftOrigin = 'written' | 'pasted' | 'reused';

let lastKey = 0;
const nextKey = () => `d${++lastKey}`;

export class QuestionRow {
	readonly key = nextKey();
	text = $state('');
	constructor(text = '') {
		this.text = text;
	}
}

export class Draft {
	readonly key = nextKey();
	title = $state('');
	context = $state('');
	questions = $state<QuestionRow[]>([]);
	/** Its number in the pasted text or the earlier workshop, asked for again (the server keeps it if free). */
	readonly number: number | undefined;
	readonly problems: DraftProblem[] = $derived(draftProblems(this.body()));

	constructor(
		readonly origin: DraftOrigin,
		from: ChallengeDraft = { title: '', context: '', questions: [''] }
	) {
		this.title = from.title;
		this.context = from.context ?? '';
		this.questions = from.questions.map((q) => new QuestionRow(q));
		this.number = from.number;
	}

	get canAddQuestion(): boolean {
		return this.questions.length < MAX_QUESTIONS_PER_CHALLENGE;
	}

	/** Adds an empty question row at the end; returns it. */
	addQuestion(): QuestionRow {
		const row = new QuestionRow();
		this.questions.push(row);
		return row;
	}

	/** Removes a question row; returns the row that takes its place (the next, else the previous), if any. */
	removeQuestion(key: string): QuestionRow | undefined {
		const at = this.questions.findIndex((q) => q.key === key);
		if (at < 0) return undefined;
		this.questions.splice(at, 1);
		return this.questions[at] ?? this.questions[at - 1];
	}

	body(): ChallengeDraft {
		const body: ChallengeDraft = { title: this.title, context: this.context, questions: this.questions.map((q) => q.text) };
		if (this.number !== undefined) body.number = this.number;
		return body;
	}
}

export class Drafts {
	list = $state<Draft[]>([]);

	/** Appends drafts; returns the first of them. */
	add(origin: DraftOrigin, from: ChallengeDraft[] = [{ title: '', context: '', questions: [''] }]): Draft | undefined {
		const added = from.map((d) => new Draft(origin, d));
		this.list.push(...added);
		return added[0];
	}

	/** Removes a draft; returns the one that takes its place (the next, else the previous), if any. */
	remove(key: string): Draft | undefined {
		const at = this.list.findIndex((d) => d.key === key);
		if (at < 0) return undefined;
		this.list.splice(at, 1);
		return this.list[at] ?? this.list[at - 1];
	}
}
