import { defineConfig } from 'vitest/config';

// Node-side tests (unit, integration, browser journeys driven through playwright-core). Kept apart
// from vite.config.ts so the SvelteKit plugin does not load for them. `npm test` builds the web app
// first (pretest) for the browser journeys.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and crash tests start processes of their own; keep the 2-core machine responsive.
    maxWorkers: 2
  }
});
