// The API reference at /api/docs: Redoc renders the OpenAPI document the
// server serves, from this bundle alone (no font, script or style from
// another host). It is its own Vite entry (api-docs.html), so none of it is
// in the console's bundles.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RedocStandalone } from 'redoc';
import { repairAccessibility } from './accessibility';
import './api-docs.css';

// Redoc's default colours are below WCAG AA contrast in places; these are
// the console's (web/src/theme.ts), dark enough for 4.5:1 on their backgrounds.
const theme = {
  colors: {
    primary: { main: '#1f4fd1' },
    success: { main: '#1b7a3a' },
    warning: { main: '#8a5a00' },
    error: { main: '#cf1322' },
    text: { primary: '#1f1f1f', secondary: '#4a4a4a' },
    http: {
      get: '#1b7a3a',
      post: '#1f4fd1',
      put: '#7a3fb0',
      options: '#595959',
      patch: '#8a5a00',
      delete: '#cf1322',
      basic: '#595959',
      link: '#1f6f8b',
      head: '#6b4e16',
    },
  },
  typography: {
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
    headings: {
      fontFamily:
        "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
    },
    code: { fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" },
  },
  sidebar: { textColor: '#1f1f1f', backgroundColor: '#f5f5f5' },
  rightPanel: { backgroundColor: '#1f2937', textColor: '#ffffff' },
};

const root = document.getElementById('root')!;
repairAccessibility(root);
createRoot(root).render(
  <StrictMode>
    <RedocStandalone
      specUrl="/api/v1/openapi.json"
      options={{
        theme,
        // Redoc's search runs in a Worker made from a blob: URL, which the
        // server's `script-src 'self'` refuses; the sidebar lists every
        // operation by its summary instead.
        disableSearch: true,
        hideDownloadButton: false,
        expandResponses: '200,201',
        jsonSampleExpandLevel: 3,
        nativeScrollbars: true,
      }}
    />
  </StrictMode>,
);
