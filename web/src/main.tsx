import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import ConfigProvider from 'antd/es/config-provider';
import { SessionProvider } from './session';
import { ToastProvider } from './toast';
import { AppRoutes, preloadFor } from './routes';
import { REDUCED_MOTION, useMediaQuery } from './lib/useMediaQuery';
import { theme, withoutMotion } from './theme';
import 'antd/dist/antd.css';
import './global.css';

// The boot screen in index.html shows until the first page's chunks, GET /me
// and the page's first data have arrived: the page then renders once, whole.
await preloadFor(window.location.pathname);

function Console() {
  const reducedMotion = useMediaQuery(REDUCED_MOTION);
  return (
    <ConfigProvider theme={reducedMotion ? withoutMotion : theme} wave={{ disabled: reducedMotion }}>
      <ToastProvider>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </ToastProvider>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
