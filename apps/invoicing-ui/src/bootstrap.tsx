/**
 * Standalone development page of the remote (`npx nx run @cetate/invoicing-ui:dev`, port `INVOICING_UI_PORT`,
 * default 3301): mounts `App` at `/facturi` with dev props, the way the shell would. The API is reached at
 * `/api/invoicing` (the dev server proxies it to `INVOICING_API_URL`, default `http://127.0.0.1:3100`).
 * The token: open the page once with `?token=<access token of the demo realm>` (kept in sessionStorage);
 * README "invoicing-ui" shows how to get one. `?lang=en` switches to English.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import App from './App.js';

const params = new URLSearchParams(location.search);
const given = params.get('token');
if (given) sessionStorage.setItem('cetate.invoicing.devToken', given);
const token = sessionStorage.getItem('cetate.invoicing.devToken') ?? '';
const locale = params.get('lang') === 'en' ? 'en' : 'ro';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <BrowserRouter>
        <main style={{ padding: 24 }}>
          <Routes>
            <Route
              path="/facturi/*"
              element={
                <App basePath="/facturi" apiBase="/api/invoicing" getToken={async () => token} roles={['accountant', 'user']} locale={locale} tenant={{ slug: 'demo', displayName: 'Demo (dev)' }} />
              }
            />
            <Route path="*" element={<Navigate to="/facturi" replace />} />
          </Routes>
        </main>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
