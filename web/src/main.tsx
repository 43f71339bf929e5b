import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import ConfigProvider from 'antd/es/config-provider';
import { SessionProvider } from './session';
import { ToastProvider } from './toast';
import { AppRoutes, preloadFor } from './routes';
import { theme } from './theme';
import './global.css';

preloadFor(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider theme={theme}>
      <ToastProvider>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </ToastProvider>
    </ConfigProvider>
  </StrictMode>,
);
