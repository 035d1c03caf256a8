/**
 * A small parser of seed/desafios-coquimbo-2022.txt. The app serves the literal data of
 * seed/challenges.ts; this parser exists so that tests can prove that data matches the source.
 */

export interface ParsedChallenge {
  number: number;
  sourceTitle: string;
  questions: string[];
}

const HEADING = /^DESAF[IÍ]O\s+(\d+)\b(.*)$/u;
const RULE = /^[-\s]+$/u;

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

export function parseSource(text: string): ParsedChallenge[] {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const result: ParsedChallenge[] = [];

  for (let i = 0; i < lines.length; i++) {
    const match = HEADING.exec((lines[i] ?? '').trim());
    if (!match) continue;

    let j = i + 1;
    const nextContentLine = (): string | undefined => {
      while (j < lines.length) {
        const line = (lines[j] ?? '').trim();
        j++;
        if (line !== '' && !RULE.test(line)) return line;
      }
      return undefined;
    };

    // The title follows the number on the same line (after a tab) or on the next non-empty line.
    const sameLineTitle = cleanText(match[2] ?? '');
    const sourceTitle = sameLineTitle !== '' ? sameLineTitle : cleanText(nextContentLine() ?? '');

    // The questions are the first paragraph starting with "¿" (possibly inside a <p>).
    let questionParagraph: string | undefined;
    for (let line = nextContentLine(); line !== undefined; line = nextContentLine()) {
      if (HEADING.test(line)) break;
      if (cleanText(line).startsWith('¿')) {
        questionParagraph = line;
        break;
      }
    }
    if (questionParagraph === undefined) {
      throw new Error(`DESAFÍO ${match[1]}: no question paragraph found`);
    }

    result.push({
      number: Number(match[1]),
      sourceTitle,
      questions: splitQuestions(questionParagraph)
    });
  }
  return result;
}
