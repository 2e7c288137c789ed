import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { MessagingOutboxInbox1732200000000 } from '@cetate/platform-messaging';
import { WORKER_ANAF_MIGRATIONS } from '@cetate/worker-anaf';

/**
 * The modules a tenant database holds and the migrations each one declares (issue 5 "one migration runner").
 * `platform-api` is the composition root that knows every module (ADR 0017); the provisioning saga and
 * `cetate tenant migrate` run exactly these, the processes only check that theirs are applied.
 */
export const TENANT_MODULES = [
  { name: 'messaging', migrations: [MessagingOutboxInbox1732200000000] },
  { name: 'efactura', migrations: WORKER_ANAF_MIGRATIONS },
  { name: 'invoicing', migrations: INVOICING_MIGRATIONS },
] as const;

/** Every module's tenant migrations, each once (a module may list a shared one such as the outbox). */
export function tenantMigrations(): Array<(typeof TENANT_MODULES)[number]['migrations'][number]> {
  const seen = new Set<unknown>();
  return TENANT_MODULES.flatMap((m) => [...m.migrations]).filter((c) => (seen.has(c) ? false : (seen.add(c), true)));
}
