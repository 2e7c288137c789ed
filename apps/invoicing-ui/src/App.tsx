/**
 * The invoicing remote's exposed `./App` (Module Federation, issue 6): default export
 * `(props: RemoteAppProps) => JSX`, rendered by the shell under `props.basePath` (e.g. `/facturi`) inside its
 * router and MantineProvider (shared singletons). Routes, relative to the base path:
 * `` (list), `noua` (editor), `import` (UBL import), `anaf` (ANAF connection of the company CIFs, `accountant` and
 * `tenant-admin`), `:id` (detail).
 * Server state goes through TanStack Query (own client); texts through its own i18next instance.
 */
import { useEffect, useMemo } from 'react';
import { Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import type { RemoteAppProps } from '@cetate/shared-ui';
import { InvoicingApi } from './lib/api.js';
import { ApiProblem } from './lib/problem.js';
import { createInvoicingI18n } from './i18n.js';
import { InvoicingContext, type InvoicingContextValue } from './context.js';
import { InvoiceList } from './screens/InvoiceList.js';
import { InvoiceEditor } from './screens/InvoiceEditor.js';
import { InvoiceImport } from './screens/InvoiceImport.js';
import { InvoiceDetail } from './screens/InvoiceDetail.js';
import { AnafConnection } from './screens/AnafConnection.js';

/** Client errors (4xx) are answers, not outages: not retried. Others are retried twice. */
function retry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiProblem && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export default function App(props: RemoteAppProps) {
  const queryClient = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry, staleTime: 1_000 }, mutations: { retry: false } } }), []);
  const i18n = useMemo(() => createInvoicingI18n(props.locale), []);
  useEffect(() => {
    if (i18n.language !== props.locale) void i18n.changeLanguage(props.locale);
  }, [i18n, props.locale]);
  const { apiBase, getToken, basePath, locale, roles, tenant } = props;
  const ctx = useMemo<InvoicingContextValue>(
    () => ({
      api: new InvoicingApi(apiBase, getToken),
      basePath: basePath.replace(/\/$/, ''),
      locale,
      tenantSlug: tenant.slug,
      canWrite: roles.includes('accountant'),
      isTenantAdmin: roles.includes('tenant-admin'),
      canSeeAnaf: roles.includes('accountant') || roles.includes('tenant-admin'),
    }),
    [apiBase, getToken, basePath, locale, roles, tenant.slug],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <InvoicingContext.Provider value={ctx}>
          <Routes>
            <Route index element={<InvoiceList />} />
            <Route path="noua" element={<InvoiceEditor />} />
            <Route path="import" element={<InvoiceImport />} />
            <Route path="anaf" element={<AnafConnection />} />
            <Route path=":id" element={<InvoiceDetail />} />
          </Routes>
        </InvoicingContext.Provider>
      </I18nextProvider>
    </QueryClientProvider>
  );
}
