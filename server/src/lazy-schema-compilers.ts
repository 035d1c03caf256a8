import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own schema compilers (Ajv for input, fast-json-stringify for responses), each route's
 * schema compiled on that route's first request instead of all of them before the server listens.
 * Compiling every route's schemas was a fifth of a restart (issue 10); the first request of a
 * route pays a few milliseconds instead. The same compilers with the same options run, so what is
 * accepted, refused and sent is unchanged.
 */

type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/** Ajv's validator for one route part, compiled on its first call. */
function lazyValidator(compile: () => Validate): Validate {
  let compiled: Validate | undefined;
  const validate: Validate = (data, context) => {
    compiled ??= compile();
    const result = compiled(data, context);
    validate.errors = compiled.errors;
    return result;
  };
  // Fastify passes Ajv's validators the parent object (so Ajv may rewrite the root value) only
  // when they carry `schemaEnv`, as Ajv's own do.
  validate.schemaEnv = true;
  return validate;
}

const buildAjv = AjvCompiler();
const buildSerializer = SerializerSelector();

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: ((externalSchemas: never, ajvOptions: never) => {
    const compiler = buildAjv(externalSchemas, ajvOptions);
    return (route: never) => lazyValidator(() => compiler(route) as unknown as Validate);
  }) as unknown as CompilersFactory['buildValidator'],
  buildSerializer(externalSchemas, serializerOptions) {
    const compiler = buildSerializer(externalSchemas, serializerOptions as never);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc: unknown) => (serialize ??= compiler(route as never))(doc);
    };
  }
};
