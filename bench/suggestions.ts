import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CHALLENGES } from '../seed/challenges.ts';
import { suggestGroups, type IdeaText, type Suggestions } from '../server/src/suggestions/suggest.ts';
import { Random } from './lib/random.ts';
import { adjustedRandIndex } from './suggestions/ari.ts';
import { keywordGrouping, randomGrouping } from './suggestions/baselines.ts';
import { DATASET, type LabelledQuestion } from './suggestions/dataset.ts';
import { timeRestSuggestions } from './suggestions/rest.ts';

/**
 * "Sugerir grupos" (issue 14): how close the engine's groups come to a facilitator's, as the
 * adjusted Rand index against the labelled set, beside two baselines; and how long a suggestion
 * takes: the engine alone, and the REST route end to end on a server process.
 * `npm run bench:suggestions [-- --out FILE]`. Results: bench/results/suggestions.json.
 *
 * Unplaced ideas (and ideas a facilitator leaves alone) count as groups of one. The engine's cut
 * (`minSimilarity` 0.1) was the best of a sweep (0.05–0.25) over this same set, written by the
 * same person: the engine's figure is an optimistic one.
 */
const RANDOM_RUNS = 200;
const TIMED_RUNS = 60;
const WARMUP_RUNS = 5;
const TIMED_SIZES = [150, 300];
const REST_RUNS = 30;

const log = (line: string) => process.stdout.write(`${line}\n`);
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1]! : 'bench/results/suggestions.json';

const questions = CHALLENGES.flatMap((c) => c.questions);
const questionOf = (id: string) => questions.find((q) => q.id === id)!;

const solo = (id: string) => `solo:${id}`;
const engineLabels = (set: LabelledQuestion, s: Suggestions) => {
  const label = new Map<string, string>();
  s.groups.forEach((g, i) => g.ideaIds.forEach((id) => label.set(id, `g${i}`)));
  return set.ideas.map((idea) => label.get(idea.id) ?? solo(idea.id));
};

interface QuestionResult {
  questionId: string;
  ideas: number;
  facilitatorGroups: number;
  engineGroups: number;
  engineUnplaced: number;
  ari: { engine: number; keyword: number; random: number };
}

const results: QuestionResult[] = DATASET.map((set) => {
  const question = questionOf(set.questionId);
  const gold = set.ideas.map((idea) => idea.group ?? solo(idea.id));
  const suggestions = suggestGroups({ question: question.text, ideas: set.ideas });
  let random = 0;
  for (let seed = 1; seed <= RANDOM_RUNS; seed++) random += adjustedRandIndex(gold, randomGrouping(gold, new Random(seed)));
  return {
    questionId: set.questionId,
    ideas: set.ideas.length,
    facilitatorGroups: new Set(set.ideas.filter((i) => i.group).map((i) => i.group)).size,
    engineGroups: suggestions.groups.length,
    engineUnplaced: suggestions.unplaced.length,
    ari: {
      engine: adjustedRandIndex(gold, engineLabels(set, suggestions)),
      keyword: adjustedRandIndex(gold, keywordGrouping(set.ideas.map((i) => i.text))),
      random: random / RANDOM_RUNS
    }
  };
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const meanAri = (rs: QuestionResult[]) => ({
  engine: mean(rs.map((r) => r.ari.engine)),
  keyword: mean(rs.map((r) => r.ari.keyword)),
  random: mean(rs.map((r) => r.ari.random))
});
const overall = meanAri(results);

/** N ideas of the set under one question (past the 144, the set again under new ids). */
function ideasForTiming(n: number): IdeaText[] {
  const all = DATASET.flatMap((q) => q.ideas);
  return Array.from({ length: n }, (_, i) => ({ id: `t${String(i).padStart(4, '0')}`, text: all[i % all.length]!.text }));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const question = questionOf('desafio-6-p1').text;
const timing = TIMED_SIZES.map((n) => {
  const ideas = ideasForTiming(n);
  let started = performance.now();
  suggestGroups({ question, ideas });
  const firstMs = performance.now() - started;
  for (let i = 0; i < WARMUP_RUNS; i++) suggestGroups({ question, ideas });
  const ms: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    started = performance.now();
    suggestGroups({ question, ideas });
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { ideas: n, firstMs, medianMs: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), runs: TIMED_RUNS };
});

const rest = [];
for (const n of TIMED_SIZES) rest.push(await timeRestSuggestions(ideasForTiming(n).map((i) => i.text), 'desafio-6', 'desafio-6-p1', REST_RUNS));

const f = (x: number) => x.toFixed(3).padStart(7);
log('Sugerir grupos: adjusted Rand index against the facilitator labels (1 = the same grouping, 0 = chance)');
log('');
log(`${'question'.padEnd(14)} ideas  groups(fac/eng)  unplaced   engine  keyword   random`);
for (const r of results) {
  log(
    `${r.questionId.padEnd(14)} ${String(r.ideas).padStart(5)}  ${`${r.facilitatorGroups}/${r.engineGroups}`.padStart(15)}  ${String(r.engineUnplaced).padStart(8)}  ${f(r.ari.engine)}  ${f(r.ari.keyword)}  ${f(r.ari.random)}`
  );
}
log('');
log(`${'mean over questions'.padEnd(51)}  ${f(overall.engine)}  ${f(overall.keyword)}  ${f(overall.random)}`);
log(`random: the facilitator's group sizes dealt at random, mean of ${RANDOM_RUNS} seeded runs.`);
log('keyword: ideas sharing a non-stop word written exactly alike end up together, transitively.');
log('');
for (const t of timing) {
  log(`time to suggest for ${t.ideas} ideas: median ${t.medianMs.toFixed(1)} ms, p95 ${t.p95Ms.toFixed(1)} ms over ${t.runs} runs (first, cold: ${t.firstMs.toFixed(1)} ms)`);
}
for (const t of rest) {
  log(
    `GET /api/boards/:id/suggestions for ${t.ideas} ideas (server process, loopback): median ${t.medianMs.toFixed(1)} ms, p95 ${t.p95Ms.toFixed(1)} ms over ${t.runs} runs, each after an edit (first request of the process, once it loaded the engine: ${t.firstMs.toFixed(1)} ms; same ideas again: ${t.reusedMs.toFixed(1)} ms)`
  );
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ when: new Date().toISOString(), node: process.version, results, overall, timing, rest }, null, 2)}\n`);
log(`\nwritten to ${out}`);
