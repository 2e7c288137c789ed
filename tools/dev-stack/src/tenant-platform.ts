/**
 * The tenant platform in one process, on real services, for the tenant e2e tests and `npm run bench -- tenants`:
 * a throwaway platform database (registry, step states, keyring) and identity database, the dev identity server
 * (Keycloak admin REST subset, PostgreSQL persistence) and s3rver in-process on random ports, a throwaway RabbitMQ
 * vhost, and the provisioning saga wired exactly as `platform-api` and `cetate tenant` wire it
 * (`openPlatformServices`). Tenant databases live on the server of `DATABASE_URL`.
 */
import { randomBytes } from 'node:crypto';
import { startDevIdentity, type DevIdentityServer } from '@cetate/dev-identity';
import { startInvoicingApi, type InvoicingApiConfig, type RunningInvoicingApi } from '@cetate/invoicing-api';
import { openPlatformServices, startPlatformApi, tenantUsersExtra, type PlatformServices, type RunningPlatformApi } from '@cetate/platform-api';
import { ClientCredentialsTokenSource, identityAdminFromEnv, API_CLIENT_ID } from '@cetate/platform-identity';
import { API_CLIENT_SECRET_PATH } from '@cetate/platform-provisioning';
import { secretStoreFromEnv, type SecretStore } from '@cetate/platform-secrets';
import type { TenantStorageOptions } from '@cetate/platform-storage';
import { DatabaseClusters } from '@cetate/platform-tenancy';
import { createTestDatabase, createTestVhost, startEmbeddedS3, testEnv, type EmbeddedS3, type TestDatabase, type TestVhost } from '@cetate/platform-testing';

process.env.LOG_LEVEL ??= 'warn';

/** A running tenant platform; `close()` stops it and drops its databases and vhost (not the tenants: delete them first). */
export interface TenantPlatform {
  services: PlatformServices;
  identity: DevIdentityServer;
  s3: EmbeddedS3;
  storage: TenantStorageOptions;
  platformDb: TestDatabase;
  identityDb: TestDatabase;
  vhost: TestVhost;
  /** A second secret store on the same keyring (what another process would open). */
  secrets: SecretStore;
  /** The environment `cetate tenant ...` needs to act on this platform (for child processes and `runCli`). */
  env: Record<string, string>;
  /** Access token of the tenant's `cetate-api` client (its secret read from the secret store). */
  apiToken(slug: string): Promise<string>;
  /** Access token of a platform operator: client `cetate-ops` of realm `platform` (service account with role
   * `platform-operator`), seeded for this platform only. */
  operatorToken(): Promise<string>;
  /** Starts `platform-api` on this platform (random port, tenant admins' `/v1/users` included); closed by `close()`. */
  startPlatformApi(): Promise<RunningPlatformApi>;
  /** Starts `invoicing-api` on this platform (random port) with `opts` on top; closed by `close()`. */
  startInvoicingApi(opts?: Partial<InvoicingApiConfig>): Promise<RunningInvoicingApi>;
  close(): Promise<void>;
}

/** Starts a tenant platform. `clusters`: extra `PG_CLUSTERS` entries besides `default` = `DATABASE_URL`. */
export async function startTenantPlatform(opts: { clusters?: Record<string, string> } = {}): Promise<TenantPlatform> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const platformDb = await createTestDatabase('cetate_test_platform');
    cleanups.push(() => platformDb.drop());
    const identityDb = await createTestDatabase('cetate_test_identity');
    cleanups.push(() => identityDb.drop());
    const vhost = await createTestVhost();
    cleanups.push(() => vhost.drop());
    const s3 = await startEmbeddedS3();
    cleanups.push(() => s3.close());
    const opsSecret = randomBytes(16).toString('hex');
    const identity = await startDevIdentity({
      port: 0,
      realms: [
        {
          realm: 'platform',
          roles: ['platform-operator'],
          clients: [{ clientId: 'cetate-ops', clientSecret: opsSecret, grants: ['client_credentials'], serviceAccountRoles: ['platform-operator'] }],
          users: [],
        },
      ],
      databaseUrl: identityDb.url,
    });
    cleanups.push(() => identity.close());
    const clusters = Object.entries({ default: testEnv.databaseUrl, ...(opts.clusters ?? {}) })
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const env: Record<string, string> = {
      DATABASE_URL: testEnv.databaseUrl,
      PLATFORM_DATABASE_URL: platformDb.url,
      PG_CLUSTERS: clusters,
      AMQP_URL: vhost.url,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      KEYCLOAK_URL: identity.url,
      SECRET_STORE: 'local',
      CETATE_MASTER_KEY: randomBytes(32).toString('base64'),
      CETATE_MASTER_KEY_ID: 'test-1',
      LOG_LEVEL: 'warn',
    };
    const storage: TenantStorageOptions = { endPoint: '127.0.0.1', port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' };
    const services = await openPlatformServices({
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: platformDb.url,
      clusters: DatabaseClusters.parse(clusters),
      amqpUrl: vhost.url,
      storage,
      identity: identityAdminFromEnv(env),
      secrets: secretStoreFromEnv(env),
      name: 'tenant-platform',
    });
    cleanups.push(() => services.close());
    const secrets = secretStoreFromEnv(env);
    cleanups.push(() => secrets.close());
    const tokens = new Map<string, ClientCredentialsTokenSource>();
    const ops = new ClientCredentialsTokenSource({ tokenUrl: identity.tokenUrl('platform'), clientId: 'cetate-ops', clientSecret: opsSecret });
    return {
      services,
      identity,
      s3,
      storage,
      platformDb,
      identityDb,
      vhost,
      secrets,
      env,
      async apiToken(slug) {
        let src = tokens.get(slug);
        if (!src) {
          const cred = await secrets.get(slug, API_CLIENT_SECRET_PATH);
          if (!cred?.clientSecret) throw new Error(`no ${API_CLIENT_SECRET_PATH} secret for tenant ${slug}`);
          src = new ClientCredentialsTokenSource({ tokenUrl: identity.tokenUrl(slug), clientId: API_CLIENT_ID, clientSecret: cred.clientSecret });
          tokens.set(slug, src);
        }
        return src.getToken();
      },
      operatorToken: () => ops.getToken(),
      async startPlatformApi() {
        const admin = identityAdminFromEnv(env);
        const api = await startPlatformApi({
          databaseUrl: testEnv.databaseUrl,
          platformDatabaseUrl: platformDb.url,
          clusters: DatabaseClusters.parse(clusters),
          amqpUrl: vhost.url,
          storage,
          identity: admin,
          secrets: secretStoreFromEnv(env),
          keycloakUrl: identity.url,
          port: 0,
          extra: tenantUsersExtra(admin),
        });
        cleanups.push(() => api.close());
        return api;
      },
      async startInvoicingApi(opts = {}) {
        const api = await startInvoicingApi({
          databaseUrl: testEnv.databaseUrl,
          platformDatabaseUrl: platformDb.url,
          amqpUrl: vhost.url,
          keycloakUrl: identity.url,
          storage,
          port: 0,
          ...opts,
        });
        cleanups.push(() => api.close());
        return api;
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
