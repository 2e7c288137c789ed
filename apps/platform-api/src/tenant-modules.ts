import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { MessagingOutboxInbox1732200000000 } from '@cetate/platform-messaging';
import type { SecretStore } from '@cetate/platform-secrets';
import type { TenantModule } from '@cetate/platform-tenancy';
import { moveAnafTokensToSecretStore, WORKER_ANAF_MIGRATIONS } from '@cetate/worker-anaf';

/**
 * The modules a tenant database holds, with the migrations each one declares (issue 5 "one migration runner").
 * `platform-api` is the composition root that knows every module (ADR 0017): the provisioning saga and
 * `cetate tenant migrate` run exactly these; the processes only check that theirs are applied
 * (`TenantSchemaBehindError` otherwise).
 *
 * The e-Factura module's hook moves ANAF OAuth tokens left in `efactura.anaf_token` (before the secrets port) into
 * the secret store and drops that table: no token in clear in any database.
 */
export function tenantModules(secrets: SecretStore): TenantModule[] {
  return [
    { name: 'messaging', migrations: [MessagingOutboxInbox1732200000000] },
    {
      name: 'efactura',
      migrations: [...WORKER_ANAF_MIGRATIONS],
      afterMigrate: async ({ dataSource, tenant }) => {
        await moveAnafTokensToSecretStore(dataSource, secrets, tenant.slug);
      },
    },
    { name: 'invoicing', migrations: [...INVOICING_MIGRATIONS] },
  ];
}
