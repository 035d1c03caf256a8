import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The scripts and styles one client-side route loads, read from the SvelteKit build's client
 * manifest (`_app/immutable/entry/app.*.js`: the route's node and its `__vite__mapDeps` list), as
 * paths from the site's root. The single-page build's index.html names only the entry's files, so
 * a browser learns the route's files a round trip later; preloading them from the page saves it.
 * Returns null when the build does not read as expected (then pages simply go without preloads).
 */
export function routePreloads(webRoot: string, route: string): { scripts: string[]; styles: string[] } | null {
  const entryDir = join(webRoot, '_app/immutable/entry');
  const app = existsSync(entryDir) ? readdirSync(entryDir).find((f) => /^app\..+\.js$/.test(f)) : undefined;
  if (!app) return null;
  const source = readFileSync(join(entryDir, app), 'utf8');
  const files = /m\.f=(\[[^\]]*\])/.exec(source)?.[1];
  const node = new RegExp(`"${route.replace(/[[\]]/g, '\\$&')}":\\[(\\d+)[\\],]`).exec(source)?.[1];
  if (!files || node === undefined) return null;
  const deps = new RegExp(`import\\(\`\\.\\./nodes/${node}\\.[^\`]+\`\\),__vite__mapDeps\\(\\[([\\d,]+)\\]\\)`).exec(source)?.[1];
  if (!deps) return null;
  const list = JSON.parse(files) as string[];
  const paths = deps.split(',').map((i) => list[Number(i)]).filter((f) => f?.startsWith('../')).map((f) => `/_app/immutable/${f!.slice(3)}`);
  return { scripts: paths.filter((p) => p.endsWith('.js')), styles: paths.filter((p) => p.endsWith('.css')) };
}
