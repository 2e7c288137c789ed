import { DOCUMENTS_TENANT_MODULE } from '@cetate/documents-data-access';
import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { moveAnafTokensToSecretStore } from '@cetate/invoicing-efactura';
import { MessagingOutboxInbox1732200000000 } from '@cetate/platform-messaging';
import type { SecretStore } from '@cetate/platform-secrets';
import type { TenantModule } from '@cetate/platform-tenancy';

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
      // every table of the invoicing module (schemas `invoicing` and `efactura`), one list for its API and its worker
      name: 'invoicing',
      migrations: [...INVOICING_MIGRATIONS],
      afterMigrate: async ({ dataSource, tenant }) => {
        await moveAnafTokensToSecretStore(dataSource, secrets, tenant.slug);
      },
    },
    // schemas `documents` (uploaded scans/PDFs and what the OCR worker read) and `purchases` (supplier invoices), one
    // list for documents-api and worker-ocr (issue 9)
    DOCUMENTS_TENANT_MODULE,
  ];
}
