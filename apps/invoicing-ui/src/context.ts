import { createContext, useContext } from 'react';
import type { InvoicingApi } from './lib/api.js';

/** What every screen of the remote needs from the shell's props. */
export interface InvoicingContextValue {
  api: InvoicingApi;
  /** Where the shell mounted the remote, e.g. `/facturi` (links are built from it). */
  basePath: string;
  locale: 'ro' | 'en';
  /** Tenant slug (keys of what the browser remembers per tenant). */
  tenantSlug: string;
  /** The user has the `accountant` realm role (create, import, send); others only read. */
  canWrite: boolean;
  /** The user has the `tenant-admin` realm role: adds company CIFs and connects them to ANAF (issue 10 point 1). */
  isTenantAdmin: boolean;
  /** The user may open the "Conexiune ANAF" screen (`accountant` or `tenant-admin`, as `GET /v1/anaf/companies`). */
  canSeeAnaf: boolean;
}

export const InvoicingContext = createContext<InvoicingContextValue | null>(null);

/** The remote's context; throws outside `App` (a programming error). */
export function useInvoicing(): InvoicingContextValue {
  const v = useContext(InvoicingContext);
  if (!v) throw new Error('useInvoicing outside the invoicing App');
  return v;
}
