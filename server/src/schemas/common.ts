import { Type, type Static } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String({ description: 'Spanish' }),
    messageEn: Type.String({ description: 'English' })
  },
  { $id: 'ErrorBody' }
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The error answers every route can give, by status. */
export const errorResponses = (...codes: (400 | 401 | 403 | 404 | 422 | 429 | 503)[]) =>
  Object.fromEntries(codes.map((c) => [c, ErrorBody])) as Record<400 | 401 | 403 | 404 | 422 | 429 | 503, typeof ErrorBody>;

/** Ids the server makes: 12 lower-case base-36 characters (seeded ids are longer and dashed). */
export const Id = Type.String({ pattern: '^[a-z0-9-]{1,64}$' });

/** A line of text a person types: at least one non-blank character. */
export const Line = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
