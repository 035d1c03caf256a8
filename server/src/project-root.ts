import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root directory (where package.json says "minga"), whether this code runs from
 * source (server/src, db, seed through tsx) or bundled into server/dist/main.js. Every path to a
 * file shipped in the repository (migrations, the web build) starts here, so the bundle finds the
 * same files as the source.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'minga') return dir;
    if (dirname(dir) === dir) throw new Error(`no Minga package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the checkout, e.g. `projectPath('db/migrations')`. */
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
