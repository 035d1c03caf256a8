import { defineConfig } from 'vitest/config';

// Node-side tests (unit, integration, browser journeys driven through playwright-core). Kept apart
// from vite.config.ts so the SvelteKit plugin does not load for them. `npm test` builds the web app
// first (pretest) for the browser journeys; the server build (server/dist, what `npm start` runs and
// the tests' server processes run) is brought up to date before every run, pretest or not.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/build-server.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and crash tests start processes of their own; keep the 2-core machine responsive.
    maxWorkers: 2
  }
});
