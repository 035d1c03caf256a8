/**
 * Bundles the server (server/src/main.ts and what it imports: db/, seed/, contract/) into one ES
 * module, server/dist/main.js, which `npm start`, the tests' server processes and the benches run.
 * Node then loads one file instead of resolving and transpiling hundreds through tsx (issue 10:
 * restart after a crash). The build is redone only when its inputs' content hash changed.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sourceHash } from './source-hash.ts';

const OUT_DIR = join(ROOT, 'server/dist');
export const SERVER_ENTRY = join(OUT_DIR, 'main.js');
const STAMP = join(OUT_DIR, '.source-hash');
const INPUTS = ['server/src', 'db', 'seed', 'contract', 'scripts/build-server.ts', 'tsconfig.json', 'package-lock.json'];

/**
 * Left to node_modules at run time: native addons (their .node files cannot be bundled), pino
 * (its transports start worker threads from files of their own) and the large modules only an
 * export or a suggestion loads (imported on first use, so a restart never parses them).
 */
const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'pino', 'pino-pretty', 'thread-stream', 'docx', '@nlpjs/*', 'ml-hclust', 'stopwords-iso'];

/** esbuild's ESM output calls `require` for the CommonJS packages it bundles; give it Node's. */
const BANNER = [
  "import { createRequire as __mingaCreateRequire } from 'node:module';",
  'const require = __mingaCreateRequire(import.meta.url);'
].join('\n');

export async function buildServer(): Promise<void> {
  // Chunk names carry a hash: start empty so old ones do not pile up.
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: { main: join(ROOT, 'server/src/main.ts') },
    outdir: OUT_DIR,
    bundle: true,
    // What the server imports on first use (exports, suggestions) goes to chunks of its own, so
    // a start parses only what serving needs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: BANNER },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning'
  });
}

export function serverSourceHash(): string {
  return sourceHash(INPUTS);
}

/** Builds server/dist/main.js unless the build on disk came from the same sources. */
export async function buildServerIfNeeded(): Promise<boolean> {
  const hash = serverSourceHash();
  if (existsSync(SERVER_ENTRY) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return false;
  process.stdout.write('Construyendo el servidor (server/dist)… / building the server…\n');
  await buildServer();
  writeFileSync(STAMP, hash);
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await buildServer();
