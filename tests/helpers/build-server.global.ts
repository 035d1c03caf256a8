import { buildServerIfNeeded } from '../../scripts/build-server.ts';

/**
 * Vitest global setup: the tests that start Minga as its own process run the server build, as
 * `npm start` does. Built here, once, before any test file (a no-op when the sources are unchanged),
 * so running a single test file also runs current code.
 */
export default async function setup(): Promise<void> {
  await buildServerIfNeeded();
}
