/**
 * `documents-api` process entry. Environment (README "Environment variables"): DATABASE_URL, PLATFORM_DATABASE_URL,
 * PG_CLUSTERS, PG_MAX_CONNECTIONS, AMQP_URL, KEYCLOAK_URL, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION,
 * DOCUMENTS_API_PORT (default 3300). Telemetry starts before the app's modules load. SIGINT/SIGTERM close everything
 * gracefully.
 */
import { closeOnSignals, createLogger, initTelemetry } from '@cetate/platform-observability';

const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME || 'documents-api' });
const log = createLogger('documents-api');
const { startDocumentsApi } = await import('./documents-api.js');
const { storageOptionsFromEnv } = await import('@cetate/platform-storage');
const { DatabaseClusters, pgMaxConnectionsFromEnv } = await import('@cetate/platform-tenancy');

const api = await startDocumentsApi({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  platformDatabaseUrl: process.env.PLATFORM_DATABASE_URL || undefined,
  clusters: DatabaseClusters.fromEnv(),
  pgMaxConnections: pgMaxConnectionsFromEnv(),
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  keycloakUrl: process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8090',
  storage: storageOptionsFromEnv(),
  port: Number(process.env.DOCUMENTS_API_PORT ?? 3300),
}).catch((err: unknown) => {
  log.fatal({ err }, 'documents-api failed to start');
  process.exit(1);
});

closeOnSignals(log, telemetry, () => api.close());
