import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev:web` proxies the API and both sockets to a server started with `npm start`.
const backend = process.env.MINGA_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
      '/yjs': { target: backend, ws: true }
    }
  }
});
