import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

/**
 * A person-readable sentence, in Spanish and English, for the first schema error of a request.
 * Ajv's own text is English only and names JSON pointers.
 */
export function describeValidationError(error: FastifySchemaValidationError | undefined, context: string): { es: string; en: string } {
  const field = (error?.instancePath ?? '').split('/').filter(Boolean).join('.') || context;
  const params = (error?.params ?? {}) as Record<string, unknown>;
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
