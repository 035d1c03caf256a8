/**
 * Builds what `npm start` and `npm test` run, each part only when its sources changed since its
 * last build (a content hash, not timestamps): the web app (vite build → web/build) and the server
 * (esbuild → server/dist/main.js, scripts/build-server.ts). A fresh clone builds both; a second
 * start builds nothing. `node --import tsx scripts/build-if-needed.ts server` builds one part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildServerIfNeeded } from './build-server.ts';
import { ROOT, sourceHash } from './source-hash.ts';

const WEB_STAMP = join(ROOT, 'web/build/.source-hash');
const WEB_INPUTS = ['web/src', 'web/static', 'seed/reference.ts', 'server/src/realtime/events.ts', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

export function buildWebIfNeeded(): boolean {
  const hash = sourceHash(WEB_INPUTS);
  if (existsSync(WEB_STAMP) && readFileSync(WEB_STAMP, 'utf8') === hash) return false;
  process.stdout.write('Construyendo la aplicación web (web/build)… / building the web app…\n');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit'
  });
  if (result.status !== 0) throw new Error(`vite build failed with status ${result.status}`);
  writeFileSync(WEB_STAMP, hash);
  process.stdout.write('Aplicación web lista.\n');
  return true;
}

const PARTS = { web: buildWebIfNeeded, server: buildServerIfNeeded } as const;

export async function buildIfNeeded(parts: readonly (keyof typeof PARTS)[] = ['web', 'server']): Promise<void> {
  for (const part of parts) await PARTS[part]();
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const asked = process.argv.slice(2);
  for (const part of asked) if (!(part in PARTS)) throw new Error(`unknown part ${part}: web or server`);
  await buildIfNeeded(asked.length > 0 ? (asked as (keyof typeof PARTS)[]) : undefined);
}
