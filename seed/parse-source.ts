/**
 * The parser of the programme's call-for-proposals format (seed/desafios-coquimbo-2022.txt): a
 * heading "DESAFÍO N" with the title on its line or the next, a paragraph of questions
 * "¿…?, ¿…?", then context paragraphs, as plain text, Markdown `**` or `<p>` blocks.
 *
 * Two users: tests prove with it that the literal data of seed/challenges.ts matches the source,
 * and the "Crear taller" page runs it in the browser on a text a facilitator pastes. It never
 * throws on what a person pastes: a challenge without questions comes back with none.
 */

export interface ParsedChallenge {
  number: number;
  sourceTitle: string;
  /** Verbatim, each with its own "¿…?". */
  questions: string[];
  /** The paragraphs after the questions, verbatim (markup removed), up to the next challenge or the sources. */
  context: string[];
}

/** "DESAFÍO 4", also "Desafío 4:" or "DESAFÍO N° 4 –" as people retype it. */
const HEADING = /^DESAF[IÍ]O\s+(?:N[°º.]?\s*)?(\d+)\b(.*)$/iu;
const RULE = /^[-\s]+$/u;
/** The list of sources that closes the programme's text: not any challenge's context. */
const SOURCES_HEADING = /^(fuentes?|referencias|bibliograf[ií]a)\s*:?$/iu;
/** A paragraph that ends otherwise was cut by a page break: it goes on in the next one. */
const SENTENCE_END = /[.!?…:"”»]$/u;

/** Removes `<p>`/`</p>` tags and markdown `**`, joins broken lines and collapses whitespace. */
export function cleanText(text: string): string {
  return text
    .replace(/<\/?p>/gu, ' ')
    .replace(/\*\*/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Cleans a question paragraph: as {@link cleanText}, plus "¿ Cómo" → "¿Cómo". */
export function cleanQuestionText(text: string): string {
  return cleanText(text).replace(/¿\s+/gu, '¿');
}

/** Splits a question paragraph at each "?, ¿": every question keeps its own "¿…?". */
export function splitQuestions(paragraph: string): string[] {
  const cleaned = cleanQuestionText(paragraph).replace(/\?\s*\.$/u, '?');
  return cleaned
    .split(/\?\s*,\s*(?=¿)/u)
    .map((part) => (part.endsWith('?') ? part : `${part}?`))
    .map((part) => part.trim());
}

type Block = { heading: number; rest: string } | { text: string };

/**
 * The text as headings and paragraphs. A paragraph ends at a blank line, a rule, a `<p>` block's
 * edge, or before a line that opens a question ("¿").
 */
function blocksOf(source: string): Block[] {
  const blocks: Block[] = [];
  let lines: string[] = [];
  const flush = () => {
    const text = cleanText(lines.join(' '));
    if (text !== '') blocks.push({ text });
    lines = [];
  };
  for (const raw of source.replace(/\r\n?/gu, '\n').replace(/<\/?p>/gu, '\n\n').split('\n')) {
    const line = raw.trim();
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ heading: Number(heading[1]), rest: cleanText(heading[2] ?? '').replace(/^[:.\-–—]\s*/u, '') });
    } else if (line === '' || RULE.test(line)) {
      flush();
    } else {
      if (cleanText(line).startsWith('¿')) flush();
      lines.push(line);
    }
  }
  flush();
  return blocks;
}

/** Joins each paragraph that does not end a sentence with the next one, unless that one asks a question. */
function joinPageBreaks(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const last = out.at(-1);
    if (last !== undefined && !SENTENCE_END.test(last) && !p.startsWith('¿')) out[out.length - 1] = `${last} ${p}`;
    else out.push(p);
  }
  return out;
}

export function parseSource(text: string): ParsedChallenge[] {
  const result: ParsedChallenge[] = [];
  let current: { number: number; title: string | null; paragraphs: string[] } | null = null;
  let inSources = false;

  const close = () => {
    if (!current) return;
    const paragraphs = joinPageBreaks(current.paragraphs);
    // The questions are the first run of paragraphs that open with "¿"; everything else is context.
    const first = paragraphs.findIndex((p) => p.startsWith('¿'));
    let end = first;
    while (end >= 0 && end < paragraphs.length && paragraphs[end]!.startsWith('¿')) end++;
    const questionParagraphs = first < 0 ? [] : paragraphs.slice(first, end);
    result.push({
      number: current.number,
      sourceTitle: current.title ?? '',
      questions: questionParagraphs.flatMap(splitQuestions),
      context: first < 0 ? paragraphs : [...paragraphs.slice(0, first), ...paragraphs.slice(end)]
    });
    current = null;
  };

  for (const block of blocksOf(text)) {
    if ('heading' in block) {
      close();
      inSources = false;
      // The title follows the number on the same line (after a tab) or in the next paragraph.
      current = { number: block.heading, title: block.rest === '' ? null : block.rest, paragraphs: [] };
    } else if (SOURCES_HEADING.test(block.text)) {
      close();
      inSources = true;
    } else if (current && !inSources) {
      if (current.title === null) current.title = block.text;
      else current.paragraphs.push(block.text);
    }
  }
  close();
  return result;
}
