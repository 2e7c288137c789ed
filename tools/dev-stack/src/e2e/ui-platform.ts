/**
 * UI test harness (issue 6): the whole platform in the test process on random ports, behind one origin, for
 * Chromium.
 *
 * - {@link startTestPlatform}: invoicing-api, worker-anaf, the ANAF simulator, the dev identity server, s3rver, a
 *   tenant (realm = slug, database, bucket, ANAF authorisation) on the real PostgreSQL and RabbitMQ;
 * - `platform-api` on the same platform database (tenant registry) and vhost: the shell's manifest and the tenant
 *   admins' `v1/users`;
 * - the UI apps built into `apps/<app>/dist` when missing or stale ({@link ensureUiBuilt}); each remote served by
 *   its own static server ({@link RemoteServer}: the invoicing remote can be stopped and started again);
 * - the dev gateway (`../gateway.ts`): `/` the shell (SPA fallback), `/remotes/<name>/` each remote,
 *   `/api/invoicing/*` and `/api/platform/*` the APIs with the prefix stripped;
 * - the tenant realm seeded with the demo users `ana.contabil` / `demo-accountant-1` (accountant, user) and
 *   `admin` / `demo-admin-1` (tenant-admin), and the public client `cetate-shell` (PKCE S256) whose redirect URI is
 *   `http://<slug>.localhost:<gatewayPort>/*` (Chromium resolves every `*.localhost` name to 127.0.0.1, RFC 6761
 *   §6.3); realm `platform` with operator `operator` / `platform-op-1` likewise for `http://platform.localhost:<port>`.
 */
import { randomBytes } from 'node:crypto';
import { startPlatformApi, tenantUsersExtra, type RunningPlatformApi } from '@cetate/platform-api';
import { identityAdminFromEnv, SHELL_CLIENT_ID } from '@cetate/platform-identity';
import { secretStoreFromEnv } from '@cetate/platform-secrets';
import type { TenantStorageOptions } from '@cetate/platform-storage';
import { DatabaseClusters } from '@cetate/platform-tenancy';
import { testEnv } from '@cetate/platform-testing';
import { startGateway, startStaticServer, type RunningGateway } from '../gateway.js';
import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from './test-platform.js';
import { distDir, ensureUiBuilt } from '../ui-build.js';

/** A remote's own static server (`startStaticServer` of the gateway module) that can be stopped and started again
 * on the same port (issue 6: "stop the invoicing remote's server ... then start it and retry"). */
export interface RemoteServer {
  /** `http://127.0.0.1:<port>`, the same across stop/start. */
  url: string;
  readonly running: boolean;
  /** Closes the listener and its connections: requests through the gateway then get 502 UPSTREAM_UNAVAILABLE. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

async function startRemoteServer(dir: string): Promise<RemoteServer> {
  let server: RunningGateway | undefined = await startStaticServer({ dir, port: 0 });
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    get running() {
      return server !== undefined;
    },
    async stop() {
      const s = server;
      server = undefined;
      await s?.close();
    },
    async start() {
      server ??= await startStaticServer({ dir, port });
    },
  };
}

/** A demo user of the UI tests (the same names and passwords `npm start` prints). */
export interface UiUser {
  username: string;
  password: string;
  roles: string[];
}

/** The tenant's demo accountant (roles accountant, user). */
export const DEMO_ACCOUNTANT: UiUser = { username: 'ana.contabil', password: 'demo-accountant-1', roles: ['accountant', 'user'] };
/** The tenant's demo admin (role tenant-admin). */
export const DEMO_ADMIN: UiUser = { username: 'admin', password: 'demo-admin-1', roles: ['tenant-admin'] };
/** The platform operator (realm `platform`, role platform-operator). */
export const DEMO_OPERATOR: UiUser = { username: 'operator', password: 'platform-op-1', roles: ['platform-operator'] };

/** A running UI platform; `close()` stops everything and drops what it created. */
export interface UiPlatform {
  /** The e-Factura platform underneath (API client, simulator, tenant record...). */
  platform: TestPlatform;
  platformApi: RunningPlatformApi;
  /** Gateway port on 127.0.0.1. */
  gatewayPort: number;
  /** The shell's URL for the test tenant: `http://<slug>.localhost:<gatewayPort>`. */
  shellUrl: string;
  /** The operators' shell: `http://platform.localhost:<gatewayPort>`. */
  operatorShellUrl: string;
  /** The remotes' own servers (the gateway proxies `/remotes/<name>/` to them). */
  remotes: { invoicing: RemoteServer; admin: RemoteServer };
  close(): Promise<void>;
}

/** Options of {@link startUiPlatform}: those of {@link startTestPlatform} (e.g. `simValidate`), and `build`. */
export interface UiPlatformOptions extends TestPlatformOptions {
  /** Build the UI apps first when missing or stale (default true; false serves whatever `dist` holds). */
  build?: boolean;
}

/**
 * Adds what the UI needs to a realm through the Keycloak admin REST API (the dev identity server implements the
 * subset used): client `cetate-shell` (public, standard flow, PKCE S256, redirect URIs `<origin>/*`, web origin
 * `<origin>`) unless it exists, and each user with a permanent password and its realm roles.
 */
async function seedRealmForUi(keycloakUrl: string, realm: string, origin: string, users: UiUser[]): Promise<void> {
  const { kc } = identityAdminFromEnv({ KEYCLOAK_URL: keycloakUrl });
  const existing = await kc.clients.find({ realm, clientId: SHELL_CLIENT_ID });
  if (!existing.some((c) => c.clientId === SHELL_CLIENT_ID)) {
    await kc.clients.create({
      realm,
      clientId: SHELL_CLIENT_ID,
      protocol: 'openid-connect',
      enabled: true,
      publicClient: true,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: [`${origin}/*`],
      webOrigins: [origin],
      attributes: { 'pkce.code.challenge.method': 'S256' },
    });
  }
  const roles = await kc.roles.find({ realm });
  for (const u of users) {
    const { id } = await kc.users.create({
      realm,
      username: u.username,
      email: `${u.username}@example.ro`,
      enabled: true,
      credentials: [{ type: 'password', value: u.password, temporary: false }],
    });
    const wanted = u.roles.map((name) => {
      const r = roles.find((x) => x.name === name);
      if (!r?.id) throw new Error(`realm ${realm} has no role ${name}`);
      return { id: r.id, name };
    });
    await kc.users.addRealmRoleMappings({ realm, id, roles: wanted });
  }
}

/** Starts the UI platform for one test file (about 10 s; the first run also builds the apps). */
export async function startUiPlatform(opts: UiPlatformOptions = {}): Promise<UiPlatform> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    if (opts.build ?? true) await ensureUiBuilt();
    const platform = await startTestPlatform(opts);
    cleanups.push(() => platform.close());
    const env = platform.workerEnv;
    const keycloakUrl = platform.identity.url;
    const identity = identityAdminFromEnv({ KEYCLOAK_URL: keycloakUrl });
    const storage: TenantStorageOptions = {
      endPoint: platform.s3.endPoint,
      port: platform.s3.port,
      useSSL: false,
      accessKey: platform.s3.accessKey,
      secretKey: platform.s3.secretKey,
      region: 'us-east-1',
    };
    const platformApi = await startPlatformApi({
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: env.PLATFORM_DATABASE_URL!,
      clusters: DatabaseClusters.single(testEnv.databaseUrl),
      amqpUrl: env.AMQP_URL!,
      storage,
      identity,
      secrets: secretStoreFromEnv({ ...process.env, PLATFORM_DATABASE_URL: env.PLATFORM_DATABASE_URL }),
      keycloakUrl,
      port: 0,
      extra: tenantUsersExtra(identity),
    });
    cleanups.push(() => platformApi.close());

    const invoicing = await startRemoteServer(distDir('invoicing-ui'));
    cleanups.push(() => invoicing.stop());
    const admin = await startRemoteServer(distDir('admin-ui'));
    cleanups.push(() => admin.stop());

    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      shellDir: distDir('shell'),
      remotes: { invoicing: invoicing.url, admin: admin.url },
      apis: { invoicing: platform.api.url, platform: platformApi.url },
    });
    cleanups.push(() => gateway.close());
    const gatewayPort = gateway.port;

    const slug = platform.tenant.slug;
    const shellUrl = `http://${slug}.localhost:${gatewayPort}`;
    const operatorShellUrl = `http://platform.localhost:${gatewayPort}`;
    await seedRealmForUi(keycloakUrl, platform.tenant.realm, shellUrl, [DEMO_ACCOUNTANT, DEMO_ADMIN]);
    await platform.identity.addRealm({
      realm: 'platform',
      roles: ['platform-operator'],
      clients: [
        { clientId: SHELL_CLIENT_ID, public: true, grants: ['authorization_code', 'refresh_token'], redirectUris: [`${operatorShellUrl}/*`], webOrigins: [operatorShellUrl] },
        { clientId: 'cetate-ops', clientSecret: randomBytes(16).toString('hex'), grants: ['client_credentials'], serviceAccountRoles: ['platform-operator'] },
      ],
      users: [{ username: DEMO_OPERATOR.username, password: DEMO_OPERATOR.password, roles: DEMO_OPERATOR.roles }],
    });

    return { platform, platformApi, gatewayPort, shellUrl, operatorShellUrl, remotes: { invoicing, admin }, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
