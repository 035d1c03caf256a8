import { createRequire } from 'node:module';
import { fold } from './normalise.ts';

// stopwords-iso ships one JSON file (`{ es: [...] }`); require reads it without import attributes.
const iso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

/**
 * Words of the stopwords-iso Spanish list that name a topic in workshop ideas and must count:
 * "trabajo"/"empleo" (jobs) and "mayor" (adultos mayores). The list was made for news text.
 */
const TOPIC_WORDS = ['empleo', 'emplear', 'emplean', 'empleas', 'empleais', 'trabajo', 'trabaja', 'trabajar', 'trabajan', 'trabajamos', 'trabajas', 'trabajais', 'mayor', 'horas', 'valor'];

/** Chilean fillers that say nothing about the idea ("¿cachai?", "po", "harto"). */
const CHILEAN_FILLERS = ['cachai', 'cachay', 'po', 'pos', 'harto', 'harta', 'hartos', 'hartas', 'onda', 'tipo', 'ojala', 'weon', 'wn'];

/**
 * Verbs and nouns with which ideas present themselves ("crear un…", "mi propuesta es…"): they
 * appear under every question and tell nothing about which ideas belong together.
 */
const WORKSHOP_WORDS = ['idea', 'ideas', 'propuesta', 'propuestas', 'proponer', 'propongo', 'proponemos', 'crear', 'generar', 'implementar', 'fomentar', 'promover', 'potenciar', 'impulsar', 'mejorar', 'desarrollar', 'iniciativa', 'iniciativas'];

const keep = new Set(TOPIC_WORDS);

/** Folded words (see `fold`) that carry no topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [...(iso.es ?? []), ...CHILEAN_FILLERS, ...WORKSHOP_WORDS].map(fold).filter((w) => !keep.has(w))
);

export const isStopWord = (folded: string) => STOP_WORDS.has(folded);
