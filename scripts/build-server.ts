/**
 * Builds the server that `npm start`, the tests' server processes and the benches run (issue 10:
 * restart after a crash): server/dist/server.cjs, one CommonJS file bundling server/src/main.ts
 * and what it imports (db/, seed/, contract/ and most packages), and server/dist/main.js, the
 * entry that loads it through a V8 code cache (server/src/boot/main.ts). Node then reads two files
 * instead of resolving and transpiling hundreds through tsx. Rebuilt only when the inputs' content
 * hash changed.
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
 * (its transports start worker threads from files of their own) and the packages only an export
 * or a suggestion uses, imported on first use so that a start never loads them.
 */
const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'pino', 'pino-pretty', 'thread-stream', 'docx', '@nlpjs/*', 'ml-hclust', 'stopwords-iso'];

export async function buildServer(hash = serverSourceHash()): Promise<void> {
  // Start empty: no code cache of an older build survives a new one.
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' } as const;
  await build({
    ...common,
    entryPoints: [join(ROOT, 'server/src/main.ts')],
    outfile: join(OUT_DIR, 'server.cjs'),
    // CommonJS, because vm.Script (and so a code cache) runs scripts; ES modules need a flag.
    format: 'cjs',
    external: EXTERNAL,
    // project-root.ts and stop-words.ts locate files from their module's URL: the bundle's.
    define: { 'import.meta.url': '__mingaModuleUrl' },
    banner: { js: "const __mingaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true
  });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'server/src/boot/main.ts')],
    outfile: SERVER_ENTRY,
    format: 'esm',
    define: { MINGA_BUILD_ID: JSON.stringify(hash.slice(0, 16)) }
  });
}

export function serverSourceHash(): string {
  return sourceHash(INPUTS);
}

/** Builds server/dist unless the build on disk came from the same sources. */
export async function buildServerIfNeeded(): Promise<boolean> {
  const hash = serverSourceHash();
  if (existsSync(SERVER_ENTRY) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return false;
  process.stdout.write('Construyendo el servidor (server/dist)… / building the server…\n');
  await buildServer(hash);
  writeFileSync(STAMP, hash);
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await buildServerIfNeeded();
