/**
 * Builds the web app (vite build → web/build) when its sources changed since the last build, so
 * `npm start` on a fresh clone builds what is needed and a second start is instant.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const STAMP = join(ROOT, 'web/build/.source-hash');
const INPUTS = ['web/src', 'web/static', 'seed/reference.ts', 'server/src/realtime/events.ts', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else {
    yield path;
  }
}

export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(ROOT, input))) {
      hash.update(relative(ROOT, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

export function buildWebIfNeeded(): void {
  const hash = webSourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  process.stdout.write('Construyendo la aplicación web (web/build)… / building the web app…\n');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit'
  });
  if (result.status !== 0) throw new Error(`vite build failed with status ${result.status}`);
  writeFileSync(STAMP, hash);
  process.stdout.write('Aplicación web lista.\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) buildWebIfNeeded();
