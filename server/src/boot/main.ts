import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constants, Script } from 'node:vm';

/**
 * server/dist/main.js, what `npm start` runs: loads the bundled server (server/dist/server.cjs,
 * built from server/src/main.ts by scripts/build-server.ts) through a V8 code cache, so a restart
 * does not parse and compile the whole bundle again (issue 10). Node 20 has no compile cache of
 * its own (module.enableCompileCache is Node 22), hence vm.Script's `cachedData`.
 *
 * The cache is made by a running server a second after it starts (by then the functions a start
 * runs are compiled, and they go in it) and named after the build, so a server of an older build
 * never leaves its cache for a newer one. V8 refuses a cache made by another Node version or with
 * other flags; the server then starts without it and writes a fresh one.
 */
declare const MINGA_BUILD_ID: string;

const CACHE_AFTER_MS = 1_000;
const dir = import.meta.dirname;
const file = join(dir, 'server.cjs');
const cacheFile = join(dir, `server.${MINGA_BUILD_ID}.v8cache`);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // first start of this build
}
// The CommonJS wrapper Node puts around a module, on the first line so line numbers stay.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
// import() of a package left out of the bundle (docx, the stemmer…) goes to Node's own loader.
const script = new Script(source, { filename: file, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dir);

if (cachedData === undefined || script.cachedDataRejected) {
  setTimeout(() => {
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only checkout: start without the cache next time too.
    }
  }, CACHE_AFTER_MS).unref();
}
