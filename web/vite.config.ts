import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { antdUsedStyles } from './scripts/antd-used-styles.mjs';

// `npm run dev` proxies the API to a running `roster serve`; set
// ROSTER_API (default http://127.0.0.1:8080) to point elsewhere.
const api = process.env.ROSTER_API ?? 'http://127.0.0.1:8080';

// Redoc's sidebar footer shows a logo from Redocly's CDN, and the API
// reference must fetch nothing from another host: the address becomes an
// empty data: URL, the image fails to load and Redoc drops it (the footer's
// link to Redoc stays). A Redoc that no longer has the address fails the
// build, so that what it fetches instead is looked at.
function redocWithoutRemoteLogo(): Plugin {
  const remote = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
  return {
    name: 'roster-redoc-without-remote-logo',
    transform(code, id) {
      if (!/[\\/]redoc[\\/]bundles[\\/]/.test(id)) return null;
      if (!code.includes(remote)) this.error(`${id} no longer shows ${remote}: check what it fetches now`);
      return { code: code.replaceAll(remote, 'data:,'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    redocWithoutRemoteLogo(),
    // antd.css without the rules of components the console never renders.
    antdUsedStyles({
      srcDir: fileURLToPath(new URL('./src', import.meta.url)),
      antdEs: fileURLToPath(new URL('./node_modules/antd/es', import.meta.url)),
    }),
  ],
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
