/**
 * Standalone development page of the admin remote (`npx nx run @cetate/admin-ui:dev`, http://localhost:3302):
 * mounts `App` at `/administrare` with dev props, the way the shell would. There is no login here: paste an access
 * token of the realm to administer (e.g. from the shell's session, or `npm run cetate -- token ...`); the roles,
 * realm and user come from the token, `/api/platform` is proxied to platform-api (rsbuild.config.ts).
 */
import '@mantine/core/styles.css';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Button, Container, Group, MantineProvider, SegmentedControl, Textarea } from '@mantine/core';
import type { RemoteAppProps } from '@cetate/shared-ui';
import App from './App.js';
import { tokenClaims } from './model/token.js';

const TOKEN_KEY = 'cetate-admin-ui-dev-token';

function DevPage() {
  const [draft, setDraft] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [token, setToken] = useState(draft);
  const [locale, setLocale] = useState<'ro' | 'en'>('ro');
  const claims = tokenClaims(token);
  const [getToken] = useState(() => async () => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const props: RemoteAppProps = {
    basePath: '/administrare',
    apiBase: '/api/platform',
    getToken,
    roles: claims.realmRoles,
    locale,
    tenant: { slug: claims.realm ?? 'demo', displayName: claims.realm ?? 'demo' },
  };
  return (
    <Container size="lg" py="md">
      <Group align="end" mb="md">
        <Textarea label="Access token (dev)" value={draft} onChange={(e) => setDraft(e.currentTarget.value)} autosize maxRows={3} w={520} />
        <Button
          onClick={() => {
            sessionStorage.setItem(TOKEN_KEY, draft.trim());
            setToken(draft.trim());
          }}
        >
          Use token
        </Button>
        <SegmentedControl aria-label="Limba / Language" value={locale} onChange={(v) => setLocale(v as 'ro' | 'en')} data={[{ value: 'ro', label: 'Română' }, { value: 'en', label: 'English' }]} />
      </Group>
      <Routes>
        <Route path="/administrare/*" element={<App key={token} {...props} />} />
        <Route path="*" element={<Navigate to="/administrare" replace />} />
      </Routes>
    </Container>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <BrowserRouter>
        <DevPage />
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
