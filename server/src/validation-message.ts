import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { MAX_CHALLENGE_NUMBER } from '../../contract/challenges.ts';

/**
 * A person-readable sentence, in Spanish and English, for the first schema error of a request.
 * Ajv's own text is English only and names JSON pointers.
 */
export function describeValidationError(error: FastifySchemaValidationError | undefined, context: string): { es: string; en: string } {
  const path = (error?.instancePath ?? '').split('/').filter(Boolean);
  const field = path.join('.') || context;
  const params = (error?.params ?? {}) as Record<string, unknown>;
  const own = ownChallengeError(path, error?.keyword, params);
  if (own) return own;
  switch (error?.keyword) {
    case 'required':
      return { es: `falta el campo «${String(params.missingProperty)}»`, en: `the field "${String(params.missingProperty)}" is missing` };
    case 'additionalProperties':
      return {
        es: `el campo «${String(params.additionalProperty)}» no está permitido`,
        en: `the field "${String(params.additionalProperty)}" is not allowed`
      };
    case 'minLength':
    case 'pattern':
      return { es: `«${field}» no puede estar vacío`, en: `"${field}" cannot be empty` };
    case 'maxLength':
      return { es: `«${field}» admite hasta ${String(params.limit)} caracteres`, en: `"${field}" allows up to ${String(params.limit)} characters` };
    case 'minItems':
      return { es: `«${field}» necesita al menos ${String(params.limit)} elemento(s)`, en: `"${field}" needs at least ${String(params.limit)} item(s)` };
    case 'maxItems':
      return { es: `«${field}» admite hasta ${String(params.limit)} elementos`, en: `"${field}" allows up to ${String(params.limit)} items` };
    case 'uniqueItems':
      return { es: `«${field}» tiene elementos repetidos`, en: `"${field}" has repeated items` };
    case 'anyOf':
    case 'const':
    case 'enum':
      return { es: `«${field}» no es una opción válida`, en: `"${field}" is not a valid option` };
    case 'type':
      return { es: `«${field}» tiene un tipo incorrecto`, en: `"${field}" has the wrong type` };
    default:
      return { es: `revisa «${field}»`, en: `check "${field}"${error?.message ? `: ${error.message}` : ''}` };
  }
}

/**
 * The fields of a workshop's own challenges (`challenges[i]` of `POST /api/workshops`), named as
 * a person would: "la pregunta 3 del desafío 2 de «challenges»".
 */
function ownChallengeError(path: string[], keyword: string | undefined, params: Record<string, unknown>): { es: string; en: string } | null {
  if (path[0] !== 'challenges' || path.length < 3) return null;
  const n = Number(path[1]) + 1;
  const of = { es: `del desafío ${n} de «challenges»`, en: `of challenge ${n} in "challenges"` };
  const limit = String(params.limit);
  if (path[2] === 'questions' && path.length === 3) {
    if (keyword === 'minItems') return { es: `el desafío ${n} de «challenges» necesita al menos ${limit} pregunta`, en: `challenge ${n} in "challenges" needs at least ${limit} question` };
    if (keyword === 'maxItems') return { es: `el desafío ${n} de «challenges» admite hasta ${limit} preguntas`, en: `challenge ${n} in "challenges" allows up to ${limit} questions` };
    return null;
  }
  if (path[2] === 'number') {
    return { es: `el número del desafío ${n} de «challenges» es un entero de 1 a ${MAX_CHALLENGE_NUMBER}`, en: `the number of challenge ${n} in "challenges" is a whole number from 1 to ${MAX_CHALLENGE_NUMBER}` };
  }
  const label =
    path[2] === 'title'
      ? { es: `el título ${of.es}`, en: `the title ${of.en}` }
      : path[2] === 'context'
        ? { es: `el contexto ${of.es}`, en: `the context ${of.en}` }
        : path[2] === 'questions' && path.length === 4
          ? { es: `la pregunta ${Number(path[3]) + 1} ${of.es}`, en: `question ${Number(path[3]) + 1} ${of.en}` }
          : null;
  if (!label) return null;
  if (keyword === 'maxLength') return { es: `${label.es} admite hasta ${limit} caracteres`, en: `${label.en} allows up to ${limit} characters` };
  if (keyword === 'minLength' || keyword === 'pattern') return { es: `${label.es} está en blanco`, en: `${label.en} is blank` };
  if (keyword === 'type') return { es: `${label.es} debe ser texto`, en: `${label.en} must be text` };
  return null;
}
