import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { describe, it, expect } from 'vitest';
import { createDb } from '../../db/client.ts';
import { challenges, questions } from '../../db/schema/challenges.ts';
import { CHALLENGES } from '../../seed/challenges.ts';
import { parseSource } from '../../seed/parse-source.ts';
import { seedDatabase } from '../../seed/seed.ts';

const SOURCE_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../seed/desafios-coquimbo-2022.txt');
const source = readFileSync(SOURCE_PATH, 'utf8');
const parsed = parseSource(source);

/** The source with markup removed, "¿ " closed up and all whitespace collapsed to single spaces. */
const normalisedSource = source
  .replace(/<\/?p>/g, ' ')
  .replace(/\*\*/g, '')
  .replace(/\s+/g, ' ')
  .replace(/¿ /g, '¿');

const EXPECTED_COUNTS = [2, 3, 2, 3, 4, 4, 3, 6];
const stripAccents = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

describe('parseSource', () => {
  it('finds the eight challenges numbered 1 to 8', () => {
    expect(parsed.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('splits the questions 2, 3, 2, 3, 4, 4, 3, 6, 27 in all', () => {
    expect(parsed.map((c) => c.questions.length)).toEqual(EXPECTED_COUNTS);
    expect(parsed.flatMap((c) => c.questions)).toHaveLength(27);
  });

  it('reads titles written on the heading line and on the line below', () => {
    expect(parsed[1]?.sourceTitle).toBe('GENERAR CONDICIONES QUE PROPICIEN EL EQUILIBRIO MULTIROL DE LA MUJER');
    expect(parsed[3]?.sourceTitle).toBe(
      'PROMOVER LA ECONOMÍA COLABORATIVA Y/O LAS OPORTUNIDADES DE APLICACIÓN DE NUEVAS TENDENCIAS TECNOLÓGICAS'
    );
  });
});

describe('CHALLENGES', () => {
  const allQuestions = CHALLENGES.flatMap((c) => c.questions);

  it('holds the eight challenges with 2, 3, 2, 3, 4, 4, 3, 6 questions, 27 in all', () => {
    expect(CHALLENGES).toHaveLength(8);
    expect(CHALLENGES.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(CHALLENGES.map((c) => c.questions.length)).toEqual(EXPECTED_COUNTS);
    expect(allQuestions).toHaveLength(27);
  });

  it('matches every parsed question verbatim, in order', () => {
    for (const [i, challenge] of CHALLENGES.entries()) {
      expect(challenge.questions.map((q) => q.text)).toEqual(parsed[i]?.questions);
    }
  });

  it('matches every parsed context paragraph verbatim, in order', () => {
    for (const [i, challenge] of CHALLENGES.entries()) expect(challenge.context).toEqual(parsed[i]?.context);
  });

  it('has every question appear in the normalised source text', () => {
    for (const q of allQuestions) expect(normalisedSource).toContain(q.text);
  });

  it('keeps questions free of markup, line breaks and "¿ " spacing', () => {
    for (const q of allQuestions) {
      expect(q.text).not.toContain('<');
      expect(q.text).not.toContain('\n');
      expect(q.text).not.toContain('¿ ');
      expect(q.text).not.toContain('**');
      expect(q.text).toMatch(/^¿[^¿?]+\?$/);
    }
  });

  it('keeps the source wording, such as "una mayor % de empleos"', () => {
    expect(CHALLENGES[1]?.questions[2]?.text).toContain('una mayor % de empleos femeninos');
    expect(CHALLENGES[4]?.questions[3]?.text).toBe(
      '¿Cómo mejorar las condiciones para las mujeres que son jefas de hogar y perdieron su fuente laboral?'
    );
  });

  it('uses unique, patterned ids', () => {
    const challengeIds = CHALLENGES.map((c) => c.id);
    const questionIds = allQuestions.map((q) => q.id);
    expect(new Set(challengeIds).size).toBe(8);
    expect(new Set(questionIds).size).toBe(27);
    for (const c of CHALLENGES) {
      expect(c.id).toBe(`desafio-${c.number}`);
      c.questions.forEach((q, i) => expect(q.id).toBe(`${c.id}-p${i + 1}`));
    }
  });

  it('copies the source titles and gives them a sentence-case reading', () => {
    for (const [i, c] of CHALLENGES.entries()) {
      expect(c.sourceTitle).toBe(parsed[i]?.sourceTitle);
      expect(stripAccents(c.title.toLocaleUpperCase('es'))).toBe(stripAccents(c.sourceTitle));
      expect(c.title[0]).toBe(c.title[0]?.toLocaleUpperCase('es'));
      expect(c.title.slice(1)).not.toMatch(/\p{Lu}{2,}/u);
    }
  });

  it('has non-empty contexts, taken from the source, that cite at least one reference', () => {
    for (const c of CHALLENGES) {
      expect(c.context.length).toBeGreaterThan(0);
      expect(c.references.length).toBeGreaterThan(0);
      expect(new Set(c.references).size).toBe(c.references.length);
      for (const paragraph of c.context) {
        expect(paragraph.trim()).not.toBe('');
        expect(paragraph).not.toMatch(/<|\*\*|\n|\s{2}/);
        expect(normalisedSource).toContain(paragraph);
      }
      const text = stripAccents(c.context.join(' ')).toLowerCase().replace(/[.,]/g, '');
      for (const reference of c.references) {
        expect(text).toContain(stripAccents(reference).toLowerCase());
      }
    }
  });

  it('keeps the paragraph of challenge 8 that crosses a page break in one piece', () => {
    const eight = CHALLENGES[7];
    expect(eight?.context).toHaveLength(2);
    expect(eight?.context[0]).toContain('la construcción de una mayor identidad regional, la que dé cuenta');
    expect(eight?.context[0]).toMatch(/inserción nacional e internacional de la Región\.$/);
  });
});

describe('seedDatabase', () => {
  it('loads 8 challenges and 27 questions, and a second run inserts nothing', () => {
    const handle = createDb(':memory:');
    try {
      expect(seedDatabase(handle.db)).toEqual({ inserted: 35 });
      expect(seedDatabase(handle.db)).toEqual({ inserted: 0 });
      expect(handle.db.select().from(challenges).all()).toHaveLength(8);
      expect(handle.db.select().from(questions).all()).toHaveLength(27);

      const [first] = handle.db.select().from(challenges).where(eq(challenges.id, 'desafio-1')).all();
      expect(first?.context).toBe(CHALLENGES[0]?.context.join('\n\n'));
      expect(first?.references).toEqual(CHALLENGES[0]?.references);
      const eight = handle.db
        .select()
        .from(questions)
        .where(eq(questions.challengeId, 'desafio-8'))
        .orderBy(asc(questions.position))
        .all();
      expect(eight.map((q) => q.text)).toEqual(CHALLENGES[7]?.questions.map((q) => q.text));
      expect(eight.map((q) => q.position)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      handle.close();
    }
  });

  it('never overwrites a row that was altered after the first run', () => {
    const handle = createDb(':memory:');
    try {
      seedDatabase(handle.db);
      handle.db.update(challenges).set({ title: 'Título editado' }).where(eq(challenges.id, 'desafio-3')).run();
      handle.db.update(questions).set({ text: '¿Pregunta editada?' }).where(eq(questions.id, 'desafio-3-p1')).run();

      expect(seedDatabase(handle.db)).toEqual({ inserted: 0 });

      const [challenge] = handle.db.select().from(challenges).where(eq(challenges.id, 'desafio-3')).all();
      const [question] = handle.db.select().from(questions).where(eq(questions.id, 'desafio-3-p1')).all();
      expect(challenge?.title).toBe('Título editado');
      expect(question?.text).toBe('¿Pregunta editada?');
      expect(handle.db.select().from(challenges).all()).toHaveLength(8);
      expect(handle.db.select().from(questions).all()).toHaveLength(27);
    } finally {
      handle.close();
    }
  });
});
