import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { authorizeWithSimulator, WORKER_ANAF_ENTITIES, WORKER_ANAF_MIGRATIONS, type AnafOAuthConfig } from '@cetate/worker-anaf';
import { platformDatabaseUrl, provisionTenantDatabase, TenantDataSourcePool, TenantRegistry, type TenantRecord } from '@cetate/platform-tenancy';
import { TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';

/** Every module migration of a tenant database, in order (each is idempotent). */
export const TENANT_MIGRATIONS = [...WORKER_ANAF_MIGRATIONS, ...INVOICING_MIGRATIONS];

/** The demo tenant: company, realm `demo` of the dev identity server, CIF of the demo seller. */
export const DEMO_TENANT = { slug: 'demo', displayName: 'Cetate Demo Software SRL', cif: '41832096', realm: 'demo' };

/**
 * Provisions a tenant for local use (first version of the provisioning saga, ARCHITECTURE.md §2):
 * registry row → database `tenant_<slug>` with every module's migrations → bucket `cetate-<slug>` →
 * ANAF authorisation (only against the simulator, which needs no certificate login; redone at every
 * start because the simulator forgets its tokens) → status `active`.
 * Idempotent: running it again changes nothing.
 */
export async function bootstrapTenant(opts: {
  databaseUrl: string;
  /** Platform database (tenant registry); default `cetate_platform` next to `databaseUrl`. */
  platformDatabaseUrl?: string;
  storage: TenantStorageOptions;
  tenant: { slug: string; displayName: string; cif: string; realm: string };
  /** Authorise ANAF through the simulator's browserless flow (the real ANAF needs the certificate holder's login). */
  anafSimulatorOAuth?: AnafOAuthConfig;
}): Promise<TenantRecord> {
  const registry = new TenantRegistry({ url: opts.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: opts.databaseUrl }) });
  try {
    await registry.ensureSchema();
    let rec = await registry.upsert(opts.tenant);
    await provisionTenantDatabase(opts.databaseUrl, rec, TENANT_MIGRATIONS);
    await new TenantStorage(opts.storage).ensureBucket(rec);
    if (opts.anafSimulatorOAuth) {
      const pool = new TenantDataSourcePool({ baseUrl: opts.databaseUrl, entities: WORKER_ANAF_ENTITIES, maxDataSources: 1, poolSizePerDataSource: 1 });
      try {
        // The simulator keeps its tokens in memory only: authorise at every start.
        await authorizeWithSimulator(opts.anafSimulatorOAuth, () => pool.forTenant(rec));
      } finally {
        await pool.destroy();
      }
    }
    rec = await registry.setStatus(rec.slug, 'active');
    return rec;
  } finally {
    await registry.close();
  }
}
