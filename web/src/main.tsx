import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import App from 'antd/es/app';
import ConfigProvider from 'antd/es/config-provider';
import { SessionProvider } from './session';
import { AppRoutes } from './routes';
import { theme } from './theme';
import './global.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider theme={theme}>
      <App>
        <SessionProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </SessionProvider>
      </App>
    </ConfigProvider>
  </StrictMode>,
);
