/**
 * `worker-ocr` process entry. Environment (README "Environment variables"): DATABASE_URL, PLATFORM_DATABASE_URL,
 * PG_CLUSTERS, PG_MAX_CONNECTIONS, AMQP_URL, S3_*, WORKER_OCR_CONCURRENCY (documents at once, default 2),
 * WORKER_OCR_PAGE_CONCURRENCY (pages of a document at once, default 2), WORKER_OCR_LEASE_MS (default 60000),
 * WORKER_OCR_JOB_TIMEOUT_MS (default 600000), WORKER_OCR_MAX_PAGES (pages accepted, default the reader's 50),
 * WORKER_OCR_PAGE_TIMEOUT_MS (default the reader's 60000), WORKER_OCR_RETRY_DELAYS_MS / WORKER_OCR_MAX_ATTEMPTS (the
 * queue's retry policy, default OCR_RETRY). Telemetry starts before the app's modules load. SIGINT/SIGTERM finish
 * in-flight messages and stop.
 */
import { closeOnSignals, createLogger, initTelemetry } from '@cetate/platform-observability';

const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME || 'worker-ocr' });
const log = createLogger('worker-ocr');
const { startWorkerOcr } = await import('./worker-ocr.js');
const { storageOptionsFromEnv } = await import('@cetate/platform-storage');
const { DatabaseClusters, pgMaxConnectionsFromEnv } = await import('@cetate/platform-tenancy');

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

const worker = await startWorkerOcr({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  platformDatabaseUrl: process.env.PLATFORM_DATABASE_URL || undefined,
  clusters: DatabaseClusters.fromEnv(),
  pgMaxConnections: pgMaxConnectionsFromEnv(),
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  storage: storageOptionsFromEnv(),
  concurrency: intEnv('WORKER_OCR_CONCURRENCY', 2), // with 2 pages each: 4 Tesseract runs in flight (ADR 0028)
  flow: {
    pageConcurrency: intEnv('WORKER_OCR_PAGE_CONCURRENCY', 2),
    leaseMs: intEnv('WORKER_OCR_LEASE_MS', 60_000, 3000),
    jobTimeoutMs: intEnv('WORKER_OCR_JOB_TIMEOUT_MS', 600_000, 1000),
  },
  readerOptions: {
    ...(process.env.WORKER_OCR_MAX_PAGES ? { maxPages: intEnv('WORKER_OCR_MAX_PAGES', 50) } : {}),
    ...(process.env.WORKER_OCR_PAGE_TIMEOUT_MS ? { pageTimeoutMs: intEnv('WORKER_OCR_PAGE_TIMEOUT_MS', 60_000, 1000) } : {}),
  },
  retry: retryFromEnv(),
}).catch((err: unknown) => {
  log.fatal({ err }, 'worker-ocr failed to start');
  process.exit(1);
});

closeOnSignals(log, telemetry, () => worker.close());

/**
 * `WORKER_OCR_RETRY_DELAYS_MS` (comma-separated ms) and `WORKER_OCR_MAX_ATTEMPTS`: the OCR queue's retry policy
 * (tests shorten it; every process on the vhost must declare the same delays). Unset: `OCR_RETRY`.
 */
function retryFromEnv(): { delaysMs: number[]; maxAttempts: number } | undefined {
  const delays = process.env.WORKER_OCR_RETRY_DELAYS_MS?.trim();
  if (!delays) return undefined;
  const delaysMs = delays.split(',').map((s) => Number(s.trim()));
  if (delaysMs.some((d) => !Number.isInteger(d) || d <= 0)) {
    log.fatal({ WORKER_OCR_RETRY_DELAYS_MS: delays }, 'WORKER_OCR_RETRY_DELAYS_MS must be positive integers (ms), comma-separated');
    process.exit(1);
  }
  return { delaysMs, maxAttempts: intEnv('WORKER_OCR_MAX_ATTEMPTS', 10) };
}
