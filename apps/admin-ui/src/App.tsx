/**
 * The admin remote's exposed `./App` (Module Federation remote `admin`, issue 6 point 3): default export
 * `(props: RemoteAppProps) => JSX`, mounted by the shell under `props.basePath` (relative `<Routes>`).
 *
 * - tenant admins (`tenant-admin`): users of their realm, invite, enable/disable, roles;
 * - platform operators (`platform-operator`, realm `platform`): tenants with their provisioning steps, create,
 *   suspend/resume.
 *
 * Own QueryClient and i18next instance (the shared singletons stay the shell's); Mantine from the shell's
 * `MantineProvider` (a provider of its own only when there is none, e.g. in a test page).
 */
import { useContext, useEffect, useId, useMemo, useState } from 'react';
import { Route, Routes } from 'react-router';
import { Alert, MantineContext, MantineProvider, Stack, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { RemoteAppProps } from '@cetate/shared-ui';
import { PlatformApi } from './api/platform-api.js';
import { ApiProblem } from '@cetate/shared-ui';
import { AdminContext, useAdmin, type AdminContextValue } from './context.js';
import { createAdminI18n } from './i18n.js';
import { adminScreens, tokenClaims } from './model/token.js';
import { TenantsSection } from './tenants/TenantsSection.js';
import { UsersSection } from './users/UsersSection.js';

export default function App(props: RemoteAppProps) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // 4xx answers do not get better by asking again; network and 5xx once more
          queries: { refetchOnWindowFocus: false, retry: (n, err) => n < 1 && !(err instanceof ApiProblem && err.status >= 400 && err.status < 500) },
          mutations: { retry: false },
        },
      }),
  );
  const [i18n] = useState(() => createAdminI18n(props.locale));
  useEffect(() => {
    if (i18n.language !== props.locale) void i18n.changeLanguage(props.locale);
  }, [i18n, props.locale]);

  const [subject, setSubject] = useState<string | undefined>();
  const { getToken, apiBase } = props;
  useEffect(() => {
    let live = true;
    getToken().then(
      (token) => live && setSubject(tokenClaims(token).sub),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [getToken]);
  const api = useMemo(() => new PlatformApi(apiBase, getToken), [apiBase, getToken]);
  const value = useMemo<AdminContextValue>(() => ({ api, props, subject }), [api, props, subject]);

  const hasMantine = useContext(MantineContext) !== null;
  const content = (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <AdminContext.Provider value={value}>
          <Routes>
            <Route index element={<AdminHome />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </AdminContext.Provider>
      </QueryClientProvider>
    </I18nextProvider>
  );
  return hasMantine ? content : <MantineProvider>{content}</MantineProvider>;
}

/** `h1` "Administrare" and the screens the user's roles allow. */
function AdminHome() {
  const { t } = useTranslation();
  const { props } = useAdmin();
  const screens = adminScreens(props.roles);
  const headingId = useId();
  return (
    <Stack gap="xl" p="md" component="article" aria-labelledby={headingId}>
      <Title order={1} id={headingId}>
        {t('title')}
      </Title>
      {!screens.users && !screens.tenants && <Alert color="gray">{t('noAccess')}</Alert>}
      {screens.tenants && <TenantsSection />}
      {screens.users && <UsersSection />}
    </Stack>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="md">
      <Title order={1}>{t('title')}</Title>
      <Alert color="gray">{t('notFound')}</Alert>
    </Stack>
  );
}
