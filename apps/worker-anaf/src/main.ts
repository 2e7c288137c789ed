/**
 * `worker-anaf` process entry. Environment (README "Environment variables"): DATABASE_URL, PG_CLUSTERS,
 * PG_MAX_CONNECTIONS, AMQP_URL,
 * S3_*, ANAF_BASE_URL, ANAF_OAUTH_URL, ANAF_CLIENT_ID, ANAF_CLIENT_SECRET, ANAF_REDIRECT_URI,
 * ANAF_TIMEOUT_MS, ANAF_CALLS_PER_MINUTE, WORKER_ANAF_CONCURRENCY, WORKER_ANAF_SYNC_CONCURRENCY, STATUS_SYNC_LEASE_MS, STATUS_SYNC_RECONCILE_GRACE_MS,
 * STATUS_SYNC_STARE_AFTER_MS, STATUS_SYNC_SWEEP_EVERY_MS, INBOX_SYNC_EVERY_MS (0 = only when asked), WORKER_ANAF_INBOX_CONCURRENCY,
 * ANAF_SIGNING_CERT_FILE (PEM the downloaded ZIPs must be signed with), ANAF_TAXPAYER_URL (supplier check of received
 * invoices; `none` turns it off), and the secret store's (`secretStoreFromEnv`: SECRET_STORE,
 * CETATE_MASTER_KEY*, PLATFORM_DATABASE_URL, VAULT_*). SIGINT/SIGTERM finish in-flight messages and stop.
 */
import { closeOnSignals, createLogger, initTelemetry } from '@cetate/platform-observability';

const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME || 'worker-anaf' });
const log = createLogger('worker-anaf');
const { startWorkerAnaf } = await import('./worker-anaf.js');
const { storageOptionsFromEnv } = await import('@cetate/platform-storage');
const { DatabaseClusters, pgMaxConnectionsFromEnv } = await import('@cetate/platform-tenancy');
const { secretStoreFromEnv } = await import('@cetate/platform-secrets');
const { supplierCheckOf, taxpayerLookupFromEnv } = await import('@cetate/invoicing-efactura');
const { readFileSync } = await import('node:fs');

let secrets: ReturnType<typeof secretStoreFromEnv>;
try {
  secrets = secretStoreFromEnv(process.env);
} catch (err) {
  log.fatal({ err }, 'worker-anaf: bad secret store configuration');
  process.exit(1);
}

/** A positive integer from the environment, `dflt` when unset or empty. */
function intEnv(name: string, dflt: number, min = 1): number {
  const raw = process.env[name]?.trim();
  if (!raw) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    log.fatal({ [name]: raw }, `${name} must be an integer >= ${min}`);
    process.exit(1);
  }
  return n;
}

// supplier check of received invoices: the cached, rate-limited taxpayer lookup in the platform database
const taxpayers = process.env.ANAF_TAXPAYER_URL === 'none' ? undefined : taxpayerLookupFromEnv(process.env);
await taxpayers?.open().catch((err: unknown) => {
  log.fatal({ err }, 'worker-anaf: taxpayer lookup cannot open the platform database');
  process.exit(1);
});
let trusted: string[] | undefined;
if (process.env.ANAF_SIGNING_CERT_FILE) {
  try {
    trusted = [readFileSync(process.env.ANAF_SIGNING_CERT_FILE, 'utf8')];
  } catch (err) {
    log.fatal({ err }, 'worker-anaf: ANAF_SIGNING_CERT_FILE cannot be read');
    process.exit(1);
  }
}

const worker = await startWorkerAnaf({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  platformDatabaseUrl: process.env.PLATFORM_DATABASE_URL || undefined,
  clusters: DatabaseClusters.fromEnv(),
  pgMaxConnections: pgMaxConnectionsFromEnv(),
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  storage: storageOptionsFromEnv(),
  anafBaseUrl: process.env.ANAF_BASE_URL ?? 'http://127.0.0.1:8095/test/FCTEL/rest',
  anafOAuth: {
    oauthBaseUrl: process.env.ANAF_OAUTH_URL ?? 'http://127.0.0.1:8095/anaf-oauth2/v1',
    clientId: process.env.ANAF_CLIENT_ID ?? 'cetate-dev',
    clientSecret: process.env.ANAF_CLIENT_SECRET ?? 'cetate-dev-secret',
    redirectUri: process.env.ANAF_REDIRECT_URI ?? 'http://127.0.0.1:3100/v1/anaf/oauth/callback',
  },
  anafTimeoutMs: Number(process.env.ANAF_TIMEOUT_MS ?? 30_000),
  // ANAF's 1,000 calls a minute (docs/anaf/limits.md); only a load test against the simulator raises it
  anafQuotas: { apiCalls: intEnv('ANAF_CALLS_PER_MINUTE', 1000) },
  concurrency: intEnv('WORKER_ANAF_CONCURRENCY', 4),
  syncConcurrency: intEnv('WORKER_ANAF_SYNC_CONCURRENCY', 2),
  statusSync: {
    leaseMs: intEnv('STATUS_SYNC_LEASE_MS', 30_000),
    reconcileGraceMs: intEnv('STATUS_SYNC_RECONCILE_GRACE_MS', 10 * 60_000),
    stareFallbackAfterMs: intEnv('STATUS_SYNC_STARE_AFTER_MS', 30 * 60_000),
  },
  sweepEveryMs: intEnv('STATUS_SYNC_SWEEP_EVERY_MS', 600_000, 0), // 0: no sweeper
  inboxSyncEveryMs: intEnv('INBOX_SYNC_EVERY_MS', 15 * 60_000, 0), // 0: only when asked (CLI, API)
  inboxConcurrency: intEnv('WORKER_ANAF_INBOX_CONCURRENCY', 2),
  ...(trusted ? { anafTrustedCertificates: trusted } : {}),
  ...(taxpayers ? { supplierCheck: supplierCheckOf(taxpayers) } : {}),
  secrets,
}).catch((err: unknown) => {
  log.fatal({ err }, 'worker-anaf failed to start');
  process.exit(1);
});

closeOnSignals(log, telemetry, () => worker.close(), async () => {
  await taxpayers?.close();
  await secrets.close();
});
