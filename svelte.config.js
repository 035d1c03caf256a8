import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The web app is a single-page app: its static build (web/build) is served by the one Fastify
 * process, with index.html as the fallback for client-side routes. No second server.
 * `precompress` writes a .br and a .gz beside each file (brotli at its best quality, once at build
 * time instead of on every request): a phone on slow 3G gets a quarter of the bytes.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ pages: 'web/build', assets: 'web/build', fallback: 'index.html', strict: true, precompress: true }),
    outDir: 'web/.svelte-kit',
    files: {
      src: 'web/src',
      assets: 'web/static',
      lib: 'web/src/lib',
      routes: 'web/src/routes',
      appTemplate: 'web/src/app.html',
      errorTemplate: 'web/src/error.html',
      hooks: { client: 'web/src/hooks.client', server: 'web/src/hooks.server', universal: 'web/src/hooks' },
      params: 'web/src/params',
      serviceWorker: 'web/src/service-worker'
    }
  }
};

export default config;
