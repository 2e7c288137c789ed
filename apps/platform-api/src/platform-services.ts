import { AmqpConnection, Publisher } from '@cetate/platform-messaging';
import { identityAdminFromEnv, type IdentityAdmin } from '@cetate/platform-identity';
import {
  amqpTenantEvents,
  platformTopology,
  postgresTenantDatabases,
  ProvisioningSaga,
  ProvisioningStateStore,
  type TenantBucketAdmin,
  type TenantExporter,
} from '@cetate/platform-provisioning';
import { secretStoreFromEnv, type SecretStore } from '@cetate/platform-secrets';
import { exportTenant, S3BucketAccess, storageOptionsFromEnv, TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';
import { DatabaseClusters, platformDatabaseUrl, TenantRegistry } from '@cetate/platform-tenancy';
import { tenantModules } from './tenant-modules.js';

/** Default origin pattern of a tenant's web shell: the dev gateway of `npm start` (`GATEWAY_PORT` 8080). */
export const DEFAULT_SHELL_ORIGIN = 'http://{slug}.localhost:8080';

/** What the provisioning saga connects to (README "Environment variables"). */
export interface PlatformServicesConfig {
  /** Admin URL (CREATEDB) of the `default` database cluster. */
  databaseUrl: string;
  /** Tenant registry; default `cetate_platform` next to `databaseUrl`. */
  platformDatabaseUrl?: string;
  /** Server URL of each `db_cluster` (`PG_CLUSTERS`); default: `default` = `databaseUrl`. */
  clusters?: DatabaseClusters;
  amqpUrl: string;
  storage: TenantStorageOptions;
  identity: IdentityAdmin;
  secrets: SecretStore;
  /**
   * Origin pattern of the tenant's web shell; `{slug}` is replaced. Default `http://{slug}.localhost:8080` (the
   * dev gateway, `npm start`). Gives `cetate-shell` its redirect URI `<origin>/*` (plus `http://localhost:8080/*`
   * and `http://127.0.0.1:8080/*` for the tenant picker).
   */
  shellOrigin?: string;
  /** AMQP connection name. */
  name?: string;
}

/** The opened services; `close()` releases them in reverse order. */
export interface PlatformServices {
  saga: ProvisioningSaga;
  registry: TenantRegistry;
  state: ProvisioningStateStore;
  connection: AmqpConnection;
  storage: TenantStorage;
  close(): Promise<void>;
}

/**
 * Opens the provisioning saga with its adapters: registry and step states in `cetate_platform`, tenant databases
 * on their cluster migrated with every module's migrations, buckets through `TenantStorage`, realms through the
 * given `IdentityAdmin`, secrets through the given `SecretStore`, events through RabbitMQ (confirm channel,
 * topology `platformTopology()`). On failure closes what it opened and rethrows.
 */
export async function openPlatformServices(cfg: PlatformServicesConfig): Promise<PlatformServices> {
  const platformUrl = cfg.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: cfg.databaseUrl });
  const registry = new TenantRegistry({ url: platformUrl });
  const steps: Array<() => Promise<void>> = [() => registry.close()];
  const close = async () => {
    for (const s of steps.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const state = new ProvisioningStateStore(registry, platformUrl);
    await state.ensureSchema();
    const connection = new AmqpConnection({ url: cfg.amqpUrl, name: cfg.name ?? 'platform-provisioning', topology: platformTopology() });
    await connection.connect();
    steps.push(() => connection.close());
    const storage = new TenantStorage(cfg.storage);
    const clusters = cfg.clusters ?? DatabaseClusters.single(cfg.databaseUrl);
    const access = new S3BucketAccess(cfg.storage);
    // Bucket, then (where the store has IAM, i.e. MinIO) the tenant's own access key and bucket policy; on a
    // store without IAM (s3rver) the step records why there is none.
    const buckets: TenantBucketAdmin = {
      async ensureBucket(t) {
        const b = await storage.ensureBucket(t);
        return { ...b, access: { ...(await access.ensureTenantAccess(t)) } };
      },
      async removeBucket(t) {
        const r = await storage.removeBucket(t);
        await access.removeTenantAccess(t);
        return r;
      },
    };
    const exporter: TenantExporter = {
      exportTenant: (t, outFile, onProgress) => exportTenant({ tenant: t, serverUrl: clusters.urlFor(t.dbCluster), storage, outFile, onProgress }),
    };
    const shellOrigin = cfg.shellOrigin ?? DEFAULT_SHELL_ORIGIN;
    const saga = new ProvisioningSaga({
      registry,
      state,
      identity: cfg.identity,
      database: postgresTenantDatabases({ clusters, modules: tenantModules(cfg.secrets) }),
      buckets,
      secrets: cfg.secrets,
      events: amqpTenantEvents(new Publisher(connection)),
      exporter,
      shellRedirectUris: (slug) => [`${shellOrigin.replace('{slug}', slug)}/*`, 'http://localhost:8080/*', 'http://127.0.0.1:8080/*'],
    });
    steps.push(() => cfg.secrets.close());
    return { saga, registry, state, connection, storage, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * {@link PlatformServicesConfig} from the environment (README "Environment variables"): `DATABASE_URL`,
 * `PLATFORM_DATABASE_URL`, `PG_CLUSTERS`, `AMQP_URL`, `S3_*`, `KEYCLOAK_URL` + `KEYCLOAK_ADMIN_CLIENT_ID/SECRET`
 * (identity admin), `SECRET_STORE` + `CETATE_MASTER_KEY*` / `VAULT_*` (secrets), `CETATE_SHELL_ORIGIN`.
 */
export function platformServicesConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformServicesConfig {
  const dbUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  return {
    databaseUrl: dbUrl,
    platformDatabaseUrl: env.PLATFORM_DATABASE_URL || undefined,
    clusters: DatabaseClusters.fromEnv(env),
    amqpUrl: env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672',
    storage: storageOptionsFromEnv(env),
    identity: identityAdminFromEnv(env),
    secrets: secretStoreFromEnv(env),
    shellOrigin: env.CETATE_SHELL_ORIGIN || undefined,
  };
}
