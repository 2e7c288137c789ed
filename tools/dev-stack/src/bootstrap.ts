import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { authorizeWithSimulator, WORKER_ANAF_MIGRATIONS, type AnafOAuthConfig } from '@cetate/worker-anaf';
import { platformDatabaseUrl, provisionTenantDatabase, TenantRegistry, type TenantRecord } from '@cetate/platform-tenancy';
import { secretStoreFromEnv, type SecretStore } from '@cetate/platform-secrets';
import { TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';

/** Every module migration of a tenant database, in order (each is idempotent). */
export const TENANT_MIGRATIONS = [...WORKER_ANAF_MIGRATIONS, ...INVOICING_MIGRATIONS];

/** The demo tenant: company, realm `demo` of the dev identity server, CIF of the demo seller. */
export const DEMO_TENANT = { slug: 'demo', displayName: 'Cetate Demo Software SRL', cif: '41832096', realm: 'demo' };

/**
 * Provisions a tenant for local use (first version of the provisioning saga, ARCHITECTURE.md §2):
 * registry row → database `tenant_<slug>` with every module's migrations → bucket `cetate-<slug>` →
 * secrets (the tenant's data key) → ANAF authorisation (only against the simulator, which needs no certificate login; redone at every
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
  /** Secret store of the tenant's ANAF tokens; default `secretStoreFromEnv` on this platform database (closed after). */
  secrets?: SecretStore;
}): Promise<TenantRecord> {
  const platformUrl = opts.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: opts.databaseUrl });
  const registry = new TenantRegistry({ url: platformUrl });
  const secrets = opts.secrets ?? secretStoreFromEnv({ ...process.env, PLATFORM_DATABASE_URL: platformUrl });
  try {
    await registry.ensureSchema();
    let rec = await registry.upsert(opts.tenant);
    await provisionTenantDatabase(opts.databaseUrl, rec, TENANT_MIGRATIONS);
    await new TenantStorage(opts.storage).ensureBucket(rec);
    await secrets.ensureTenant(rec.slug);
    // The simulator keeps its tokens in memory only: authorise at every start.
    if (opts.anafSimulatorOAuth) await authorizeWithSimulator(opts.anafSimulatorOAuth, secrets, rec.slug);
    rec = await registry.setStatus(rec.slug, 'active');
    return rec;
  } finally {
    await registry.close();
    if (!opts.secrets) await secrets.close();
  }
}
