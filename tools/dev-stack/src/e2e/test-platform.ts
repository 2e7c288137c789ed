/**
 * End-to-end test harness: the whole e-Factura platform in one test process, on real services.
 *
 * PostgreSQL and RabbitMQ are the real servers of `DATABASE_URL` / `AMQP_URL` (a throwaway platform
 * database, tenant database and vhost per harness); the S3 server (s3rver), the dev identity server and
 * the ANAF simulator are started in-process on random ports. `invoicing-api` runs in-process; the worker
 * runs in-process too unless `worker: 'none'` (tests that kill it start it as a child process). With
 * `documents: true`, `documents-api` runs in-process as well and `spawnWorker('worker-ocr')` starts the OCR worker
 * as its own process (issue 9).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startAnafSimulator, type AnafSimulator, type SimValidator } from '@cetate/anaf-sim';
import { startDevIdentity, type DevIdentityServer } from '@cetate/dev-identity';
import { startDocumentsApi, type RunningDocumentsApi } from '@cetate/documents-api';
import { startInvoicingApi, type RunningInvoicingApi } from '@cetate/invoicing-api';
import { startWorkerAnaf, type RunningWorkerAnaf } from '@cetate/worker-anaf';
import { supplierCheckOf, TaxpayerLookup, type StatusSyncConfig } from '@cetate/invoicing-efactura';
import type { RetryPolicy } from '@cetate/platform-messaging';
import type { TenantStorageOptions } from '@cetate/platform-storage';
import { TenantStorage } from '@cetate/platform-storage';
import type { TenantRecord } from '@cetate/platform-tenancy';
import { secretStoreFromEnv } from '@cetate/platform-secrets';
import { adminQuery, createTestDatabase, createTestVhost, startEmbeddedS3, testEnv, type EmbeddedS3, type TestDatabase, type TestVhost } from '@cetate/platform-testing';
import { provisionTestTenant } from './provision-test-tenant.js';
import { ClientCredentialsTokenSource } from '@cetate/platform-identity';
import { InvoicingApiClient } from '../invoicing-api.client.js';

// Quiet logs in tests unless asked for (the loggers read it when the apps start).
process.env.LOG_LEVEL ??= 'warn';

/** Fast retry policy for tests (production: `EFACTURA_RETRY`). */
export const TEST_RETRY: RetryPolicy = { delaysMs: [300, 1000, 2000], maxAttempts: 30 };
/** Fast polling/reconciliation for tests (production: `DEFAULT_SUBMIT_CONFIG`). */
export const TEST_STATUS_SYNC: Partial<StatusSyncConfig> = { reconcileGraceMs: 3_000, leaseMs: 5_000 };

/** Knobs of {@link startTestPlatform}. */
export interface TestPlatformOptions {
  /** ANAF simulator processing delay, ms (default 300). */
  processingDelayMs?: number;
  /** Worker's ANAF HTTP timeout, ms (default 2000). */
  anafTimeoutMs?: number;
  /** Run the worker in this process (default) or not at all (the test starts it). */
  worker?: 'in-process' | 'none';
  /** Replaces the simulator's validation (default: the real CIUS-RO validator), e.g. to make ANAF
   * reject what our own validation accepts. */
  simValidate?: SimValidator;
  /** Also run `documents-api` in this process (issue 9; default false). The OCR worker is `spawnWorker('worker-ocr')`. */
  documents?: boolean;
}

/** The worker processes {@link TestPlatform.spawnWorker} starts. */
export type WorkerApp = 'worker-anaf' | 'worker-ocr';

/** A `documents-api` started as its own process by {@link TestPlatform.spawnApi}. */
export interface SpawnedDocumentsApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  child: ChildProcess;
}

/** An `invoicing-api` started as its own process by {@link TestPlatform.spawnApi}. */
export interface SpawnedApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** API client of this process, authenticated as the accountant client of the tenant's realm. */
  client: InvoicingApiClient;
  /** The process (SIGKILL/SIGTERM it to stop it; the platform's `close()` kills it if still running). */
  child: ChildProcess;
}

/** What {@link TestPlatform.apiCall} answers. */
export interface ApiCallResult {
  status: number;
  json: Record<string, unknown> | undefined;
  bytes: Buffer;
  headers: Headers;
}

/** A running test platform; `close()` stops everything and drops what it created. */
export interface TestPlatform {
  tenant: TenantRecord;
  /** A second tenant (its own realm, database and bucket), to prove tenants cannot see each other. */
  otherTenant: TenantRecord;
  /** A realm of the identity server that belongs to no tenant (its tokens must be refused). */
  strangerRealm: string;
  api: RunningInvoicingApi;
  /** `documents-api` in this process (option `documents`). */
  documentsApi?: RunningDocumentsApi;
  worker?: RunningWorkerAnaf;
  sim: AnafSimulator;
  identity: DevIdentityServer;
  s3: EmbeddedS3;
  storage: TenantStorage;
  /** API client authenticated as the accountant client of the tenant's realm. */
  client: InvoicingApiClient;
  /** Access token for `clientId` of `realm` (default the tenant's realm). */
  token(clientId?: 'cetate-api' | 'reader', realm?: string): Promise<string>;
  /** Environment for a worker child process (`apps/worker-anaf/src/main.ts`, `apps/worker-ocr/src/main.ts`). */
  workerEnv: Record<string, string>;
  /** Uploads the ANAF simulator counted for this invoice: ANAF's `cif` is the seller's CIF, else the
   * tenant's (the rule of `InvoicingService.send`), and the invoice number is BT-1. */
  uploadsOf(invoice: { number: string; seller: { cif: string | null } }): number;
  /**
   * Starts a worker as a child process with {@link workerEnv} (plus `env`): `worker-anaf` (default) or `worker-ocr`
   * (with the test retry policy of the OCR queue).
   */
  spawnWorker(app?: WorkerApp, env?: Record<string, string>): ChildProcess;
  /** Environment for an `invoicing-api` child process (`apps/invoicing-api/src/main.ts`; the port is added by {@link spawnApi}). */
  apiEnv: Record<string, string>;
  /**
   * Starts another `invoicing-api` replica as a child process with {@link apiEnv} on a free port, on the same
   * platform database, tenant databases, vhost, bucket and identity server as {@link api} (a second API process of
   * the same tenant). Resolves when its `GET /health` answers 200.
   * @throws Error when the process exits or is not healthy within 60 s.
   */
  spawnApi(): Promise<SpawnedApi>;
  /** Starts a `documents-api` replica as a child process the same way (`apps/documents-api/src/main.ts`). */
  spawnApi(app: 'documents-api'): Promise<SpawnedDocumentsApi>;
  /** One HTTP call to the in-process API as the tenant's accountant: the status, the JSON body (for a JSON answer),
   * the raw bytes and the headers. */
  apiCall(method: string, path: string, body?: { data: string | Buffer; type: string }): Promise<ApiCallResult>;
  /** The same against the in-process `documents-api` (option `documents`), or `opts.url`; `opts.clientId` `reader` for a
   * user without the accountant role; `opts.headers` added. */
  documentsCall(
    method: string,
    path: string,
    body?: { data: string | Buffer; type: string },
    opts?: { url?: string; clientId?: 'cetate-api' | 'reader'; headers?: Record<string, string> },
  ): Promise<ApiCallResult>;
  /** Runs SQL on the tenant's database (to look at the worker's own records, e.g. `efactura.submission`). */
  tenantQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function realmSeed(realm: string) {
  return {
    realm,
    roles: ['tenant-admin', 'accountant', 'user', 'privacy-officer'],
    clients: [
      { clientId: 'cetate-api', clientSecret: 'cetate-api-secret', grants: ['client_credentials' as const], serviceAccountRoles: ['accountant'] },
      { clientId: 'reader', clientSecret: 'reader-secret', grants: ['client_credentials' as const], serviceAccountRoles: ['user'] },
      // a tenant admin (the ANAF authorisation of the companies, issue 10 point 1)
      { clientId: 'tenant-admin', clientSecret: 'tenant-admin-secret', grants: ['client_credentials' as const], serviceAccountRoles: ['tenant-admin'] },
    ],
    users: [],
  };
}

/** Starts the platform for one test file. */
export async function startTestPlatform(opts: TestPlatformOptions = {}): Promise<TestPlatform> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const slug = `e2e-${randomBytes(3).toString('hex')}`;
    const otherSlug = `e2e-${randomBytes(3).toString('hex')}`;
    const strangerRealm = `stranger-${randomBytes(3).toString('hex')}`;
    const platformDb: TestDatabase = await createTestDatabase('cetate_test_platform');
    cleanups.push(() => platformDb.drop());
    // ANAF tokens: the store a worker child process builds from workerEnv (same platform database, same master key).
    const secrets = secretStoreFromEnv({ ...process.env, PLATFORM_DATABASE_URL: platformDb.url });
    cleanups.push(() => secrets.close());
    const vhost: TestVhost = await createTestVhost();
    cleanups.push(() => vhost.drop());
    const s3 = await startEmbeddedS3();
    cleanups.push(() => s3.close());
    const identity = await startDevIdentity({ realms: [realmSeed(slug), realmSeed(otherSlug), realmSeed(strangerRealm)] });
    cleanups.push(() => identity.close());
    const sim = await startAnafSimulator({ processingDelayMs: opts.processingDelayMs ?? 300, ...(opts.simValidate ? { validate: opts.simValidate } : {}) });
    cleanups.push(() => sim.close());
    const storageOpts: TenantStorageOptions = { endPoint: '127.0.0.1', port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' };
    const anafOAuth = { oauthBaseUrl: `${sim.url}/anaf-oauth2/v1`, clientId: 'cetate-test', clientSecret: 'cetate-test-secret', redirectUri: 'http://127.0.0.1/anaf/callback' };
    const tenant = await provisionTestTenant({
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: platformDb.url,
      storage: storageOpts,
      tenant: { slug, displayName: `E2E ${slug}`, cif: '41832096', realm: slug },
      anafSimulatorOAuth: anafOAuth,
      secrets,
    });
    cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS "${tenant.dbName}" WITH (FORCE)`));
    const otherTenant = await provisionTestTenant({
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: platformDb.url,
      storage: storageOpts,
      tenant: { slug: otherSlug, displayName: `E2E ${otherSlug}`, cif: '35246718', realm: otherSlug },
      secrets,
    });
    cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS "${otherTenant.dbName}" WITH (FORCE)`));
    const api = await startInvoicingApi({
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: platformDb.url,
      amqpUrl: vhost.url,
      keycloakUrl: identity.url,
      storage: storageOpts,
      port: 0,
      retry: TEST_RETRY,
      anafOAuth,
      secrets,
      anafTaxpayerUrl: `${sim.url}/api/PlatitorTvaRest/v9/tva`,
    });
    cleanups.push(() => api.close());
    let documentsApi: RunningDocumentsApi | undefined;
    if (opts.documents) {
      documentsApi = await startDocumentsApi({
        databaseUrl: testEnv.databaseUrl,
        platformDatabaseUrl: platformDb.url,
        amqpUrl: vhost.url,
        keycloakUrl: identity.url,
        storage: storageOpts,
        port: 0,
        retry: TEST_RETRY,
      });
      cleanups.push(() => documentsApi!.close());
    }
    // the worker's supplier check of received invoices (issue 10 point 3): the simulator's taxpayer fixture
    const taxpayers = new TaxpayerLookup({ databaseUrl: platformDb.url, anafUrl: `${sim.url}/api/PlatitorTvaRest/v9/tva` });
    await taxpayers.open();
    cleanups.push(() => taxpayers.close());
    const workerCfg = {
      databaseUrl: testEnv.databaseUrl,
      platformDatabaseUrl: platformDb.url,
      amqpUrl: vhost.url,
      storage: storageOpts,
      anafBaseUrl: `${sim.url}/test/FCTEL/rest`,
      anafOAuth,
      secrets,
      anafTimeoutMs: opts.anafTimeoutMs ?? 2000,
      anafBreaker: { resetTimeoutMs: 2000 }, // an open circuit lets a trial call through after 2 s, not 30 s
      retry: TEST_RETRY,
      statusSync: TEST_STATUS_SYNC,
      // inbound (issue 10): runs only when a test asks; ZIPs must be signed by the simulator's certificate
      inboxSyncEveryMs: 0,
      anafTrustedCertificates: [sim.certificatePem],
      supplierCheck: supplierCheckOf(taxpayers),
    };
    let worker: RunningWorkerAnaf | undefined;
    if ((opts.worker ?? 'in-process') === 'in-process') {
      worker = await startWorkerAnaf(workerCfg);
      cleanups.push(() => worker!.close());
    }
    const tokens = new Map<string, ClientCredentialsTokenSource>();
    const token = (clientId: 'cetate-api' | 'reader' = 'cetate-api', realm = slug) => {
      const key = `${realm}/${clientId}`;
      let cc = tokens.get(key);
      if (!cc) {
        cc = new ClientCredentialsTokenSource({ tokenUrl: identity.tokenUrl(realm), clientId, clientSecret: clientId === 'reader' ? 'reader-secret' : 'cetate-api-secret' });
        tokens.set(key, cc);
      }
      return cc.getToken();
    };
    const workerEnv: Record<string, string> = {
      DATABASE_URL: testEnv.databaseUrl,
      PLATFORM_DATABASE_URL: platformDb.url,
      AMQP_URL: vhost.url,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      ANAF_BASE_URL: workerCfg.anafBaseUrl,
      ANAF_OAUTH_URL: anafOAuth.oauthBaseUrl,
      ANAF_CLIENT_ID: anafOAuth.clientId,
      ANAF_CLIENT_SECRET: anafOAuth.clientSecret,
      ANAF_REDIRECT_URI: anafOAuth.redirectUri,
      ANAF_TIMEOUT_MS: String(workerCfg.anafTimeoutMs),
      ANAF_TAXPAYER_URL: `${sim.url}/api/PlatitorTvaRest/v9/tva`,
      INBOX_SYNC_EVERY_MS: '0',
      LOG_LEVEL: 'warn',
    };
    /** worker-ocr: the test retry policy (the same delays as documents-api's TEST_RETRY, fewer attempts). */
    const ocrEnv: Record<string, string> = { WORKER_OCR_RETRY_DELAYS_MS: TEST_RETRY.delaysMs.join(','), WORKER_OCR_MAX_ATTEMPTS: '5' };
    const apiEnv: Record<string, string> = {
      DATABASE_URL: testEnv.databaseUrl,
      PLATFORM_DATABASE_URL: platformDb.url,
      AMQP_URL: vhost.url,
      KEYCLOAK_URL: identity.url,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      // the companies' ANAF authorisation (issue 10 point 1): the same OAuth client as the worker
      ANAF_OAUTH_URL: anafOAuth.oauthBaseUrl,
      ANAF_CLIENT_ID: anafOAuth.clientId,
      ANAF_CLIENT_SECRET: anafOAuth.clientSecret,
      ANAF_REDIRECT_URI: anafOAuth.redirectUri,
      LOG_LEVEL: 'warn',
    };
    const children: ChildProcess[] = [];
    cleanups.push(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    });
    const call = async (base: string, method: string, path: string, body?: { data: string | Buffer; type: string }, clientId: 'cetate-api' | 'reader' = 'cetate-api', headers: Record<string, string> = {}): Promise<ApiCallResult> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token(clientId)}`, ...(body ? { 'content-type': body.type } : {}), ...headers },
        body: body?.data,
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : undefined;
      return { status: res.status, json, bytes, headers: res.headers };
    };
    /** Starts `entry` as one node process (tsx as a loader: SIGKILL hits the app itself, not a wrapper). */
    const spawnChild = (entry: string, env: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
      children.push(child);
      return child;
    };
    /** Resolves when `GET <url>/health` answers 200. @throws when the child exits first or after 60 s. */
    const waitHealthy = async (name: string, url: string, child: ChildProcess) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} child exited (${child.exitCode ?? child.signalCode}) before it was healthy`);
        const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
        if (ok) return;
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`${name} child at ${url} not healthy within 60 s`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    return {
      tenant,
      otherTenant,
      strangerRealm,
      api,
      documentsApi,
      worker,
      sim,
      identity,
      s3,
      storage: new TenantStorage(storageOpts),
      client: new InvoicingApiClient(api.url, () => token()),
      token,
      workerEnv,
      uploadsOf: (invoice) => sim.uploadsFor(invoice.seller.cif ?? tenant.cif, invoice.number),
      apiCall: (method, path, body) => call(api.url, method, path, body),
      documentsCall(method, path, body, o = {}) {
        const base = o.url ?? documentsApi?.url;
        if (!base) throw new Error('documentsCall: start the platform with { documents: true } or pass opts.url');
        return call(base, method, path, body, o.clientId, o.headers);
      },
      async tenantQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
        const url = new URL(testEnv.databaseUrl);
        url.pathname = `/${tenant.dbName}`;
        const c = new pg.Client({ connectionString: url.toString() });
        await c.connect();
        try {
          return (await c.query(sql, params)).rows as T[];
        } finally {
          await c.end();
        }
      },
      spawnWorker(app: WorkerApp = 'worker-anaf', env: Record<string, string> = {}) {
        return spawnChild(`apps/${app}/src/main.ts`, { ...workerEnv, ...(app === 'worker-ocr' ? ocrEnv : {}), ...env });
      },
      apiEnv,
      spawnApi: (async (app: 'invoicing-api' | 'documents-api' = 'invoicing-api') => {
        const port = await freePort();
        const portVar = app === 'documents-api' ? 'DOCUMENTS_API_PORT' : 'INVOICING_API_PORT';
        const child = spawnChild(`apps/${app}/src/main.ts`, { ...apiEnv, [portVar]: String(port) });
        const url = `http://127.0.0.1:${port}`;
        await waitHealthy(app, url, child);
        return app === 'documents-api' ? { url, child } : { url, child, client: new InvoicingApiClient(url, () => token()) };
      }) as TestPlatform['spawnApi'],
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
