import { authorizeWithSimulator, type AnafOAuthConfig } from '@cetate/invoicing-efactura';
import { DOCUMENTS_MIGRATIONS } from '@cetate/documents-data-access';
import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { provisionTenantDatabase, TenantRegistry, type TenantRecord } from '@cetate/platform-tenancy';
import type { SecretStore } from '@cetate/platform-secrets';
import { TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';

/**
 * Test fixture of the e-Factura e2e harness: a tenant whose realm is SEEDED in the dev identity server (with the
 * fixed test clients `cetate-api` and `reader`), so only registry row, database + migrations (invoicing and documents
 * modules), bucket, data key and
 * the simulator's ANAF authorisation are made here. Everything else (the launcher, `cetate tenant`, platform-api)
 * provisions through the saga; the saga itself is tested in `tenant-lifecycle.e2e.spec.ts`.
 */
export async function provisionTestTenant(opts: {
  databaseUrl: string;
  platformDatabaseUrl: string;
  storage: TenantStorageOptions;
  tenant: { slug: string; displayName: string; cif: string; realm: string };
  anafSimulatorOAuth?: AnafOAuthConfig;
  secrets: SecretStore;
}): Promise<TenantRecord> {
  const registry = new TenantRegistry({ url: opts.platformDatabaseUrl });
  try {
    await registry.ensureSchema();
    const rec = await registry.upsert(opts.tenant);
    await provisionTenantDatabase(opts.databaseUrl, rec, [...INVOICING_MIGRATIONS, ...DOCUMENTS_MIGRATIONS]);
    await new TenantStorage(opts.storage).ensureBucket(rec);
    await opts.secrets.ensureTenant(rec.slug);
    if (opts.anafSimulatorOAuth) await authorizeWithSimulator(opts.anafSimulatorOAuth, opts.secrets, rec.slug);
    return await registry.setStatus(rec.slug, 'active');
  } finally {
    await registry.close();
  }
}
