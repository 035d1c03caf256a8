import { MAX_CLUSTER_TITLE_CHARS } from '../../../contract/board-document.ts';
import type { AnalysedText } from './terms.ts';

/** Words in a suggested title, and shared words shown as the "why". */
export const TITLE_WORDS = 3;
export const MAX_SHARED_WORDS = 5;

export interface GroupDescription {
  title: string;
  /** Words that at least two of the group's ideas use, most telling first, as people wrote them. */
  words: string[];
}

/**
 * Names a group by its most telling shared words. A stem scores the number of the group's ideas
 * that use it times its weight (idf, the question's own words lowered), and is shown in the form
 * the ideas use most ("pegas"/"pega": the commoner; the first written on a tie). When the two
 * best words stand side by side in an idea, the title says them as written ("silla de ruedas").
 */
export function describeGroup(members: readonly AnalysedText[], weightOf: (stem: string) => number): GroupDescription {
  const ideasUsing = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  // Sum of each stem's relative place in the ideas, to say the title's words in reading order.
  const places = new Map<string, number>();
  for (const { terms } of members) {
    for (const s of new Set(terms.map((t) => t.stem))) ideasUsing.set(s, (ideasUsing.get(s) ?? 0) + 1);
    terms.forEach(({ stem, surface }, i) => {
      count(forms.get(stem) ?? forms.set(stem, new Map()).get(stem)!, surface);
      places.set(stem, (places.get(stem) ?? 0) + i / terms.length);
    });
  }
  const shared = [...ideasUsing]
    .filter(([, n]) => n >= 2)
    .map(([s, n]) => ({ s, score: n * weightOf(s) }))
    .sort((a, b) => b.score - a.score || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0))
    .map(({ s }) => s);
  const formOf = (s: string) => commonest(forms.get(s)!)!;
  const place = (s: string) => places.get(s)! / ideasUsing.get(s)!;

  const titleStems = shared.slice(0, TITLE_WORDS).sort((a, b) => place(a) - place(b));
  const phrase = phraseOf(members, new Set(titleStems));
  const parts = phrase ? [phrase.text, ...titleStems.filter((s) => !phrase.stems.has(s)).map(formOf)] : titleStems.map(formOf);
  return { title: titleOf(parts), words: shared.slice(0, MAX_SHARED_WORDS).map(formOf) };
}

/** At most this many stop words between two words of a phrase ("jefas de hogar"). */
const MAX_PHRASE_GAP = 2;

/**
 * The longest run of title words that an idea writes side by side ("agua potable rural"), as
 * written; the commonest such run, the first seen on a tie. Null when no two stand together.
 */
function phraseOf(members: readonly AnalysedText[], titleStems: ReadonlySet<string>): { text: string; stems: Set<string> } | null {
  const runs = new Map<string, { stems: Set<string>; n: number }>();
  for (const { tokens, terms } of members) {
    let start = 0;
    for (let i = 0; i <= terms.length; i++) {
      const t = terms[i];
      const prev = terms[i - 1];
      const continues = t && prev && i > start && titleStems.has(t.stem) && t.at - prev.at - 1 <= MAX_PHRASE_GAP && !terms.slice(start, i).some((u) => u.stem === t.stem);
      if (continues) continue;
      if (i - start >= 2) {
        const text = tokens.slice(terms[start]!.at, terms[i - 1]!.at + 1).map((tok) => tok.surface).join(' ');
        const run = runs.get(text) ?? runs.set(text, { stems: new Set(terms.slice(start, i).map((u) => u.stem)), n: 0 }).get(text)!;
        run.n++;
      }
      start = t && titleStems.has(t.stem) ? i : i + 1;
    }
  }
  let best: { text: string; stems: Set<string>; n: number } | null = null;
  for (const [text, run] of runs) if (!best || run.stems.size > best.stems.size || (run.stems.size === best.stems.size && run.n > best.n)) best = { text, ...run };
  return best;
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The key counted most; Map order is first insertion, so the first seen wins a tie. */
function commonest(counts: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, n] of counts) {
    if (n > bestCount) {
      best = key;
      bestCount = n;
    }
  }
  return best;
}

/** "Riego, goteo y canales"; "y" becomes "e" before an /i/ sound ("señal e internet"). */
function titleOf(parts: readonly string[]): string {
  if (parts.length === 0) return '';
  const last = parts.at(-1)!;
  const and = /^h?[ií](?![aeoáéó])/.test(last) ? 'e' : 'y';
  const list = parts.length === 1 ? last : `${parts.slice(0, -1).join(', ')} ${and} ${last}`;
  return (list.charAt(0).toUpperCase() + list.slice(1)).slice(0, MAX_CLUSTER_TITLE_CHARS);
}
