import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// `npm run dev` proxies the API to a running `roster serve`; set
// ROSTER_API (default http://127.0.0.1:8080) to point elsewhere.
const api = process.env.ROSTER_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { yaml: fileURLToPath(new URL('./src/api-docs/no-yaml.ts', import.meta.url)) },
  },
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // The server's CSP is `script-src 'self'`: nothing may be inlined into
    // index.html, and small assets stay files rather than data: URLs.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      // Two pages: the console, and the API reference at /api/docs (Redoc,
      // about a megabyte), whose code no console page loads.
      input: {
        console: 'index.html',
        'api-docs': 'api-docs.html',
      },
    },
  },
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
