/**
 * `invoicing-api` process entry. Environment (README "Environment variables"): DATABASE_URL, PG_CLUSTERS,
 * PG_MAX_CONNECTIONS, AMQP_URL,
 * KEYCLOAK_URL, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, INVOICING_API_PORT,
 * INVOICING_AUTO_SEND_INTERVAL_MS (automatic sending pass interval, default 900000 = 15 min; 0 = no scheduler here),
 * ANAF_TAXPAYER_URL (taxpayer lookup v9; default ANAF's production URL), the ANAF OAuth client as worker-anaf reads it (ANAF_OAUTH_URL, ANAF_CLIENT_ID, ANAF_CLIENT_SECRET, ANAF_REDIRECT_URI: the
 * public callback `GET /v1/anaf/oauth/callback` of this API) and the secret store's (`secretStoreFromEnv`: SECRET_STORE,
 * CETATE_MASTER_KEY*, PLATFORM_DATABASE_URL, VAULT_*) for the companies' ANAF authorisation (issue 10 point 1).
 * Telemetry starts before the app's modules load. SIGINT/SIGTERM close everything gracefully.
 */
import { closeOnSignals, createLogger, initTelemetry } from '@cetate/platform-observability';

const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME || 'invoicing-api' });
const log = createLogger('invoicing-api');
const { startInvoicingApi } = await import('./invoicing-api.js');
const { storageOptionsFromEnv } = await import('@cetate/platform-storage');
const { DatabaseClusters, pgMaxConnectionsFromEnv } = await import('@cetate/platform-tenancy');
const { secretStoreFromEnv } = await import('@cetate/platform-secrets');

let secrets: ReturnType<typeof secretStoreFromEnv>;
try {
  secrets = secretStoreFromEnv(process.env);
} catch (err) {
  log.fatal({ err }, 'invoicing-api: bad secret store configuration');
  process.exit(1);
}

const api = await startInvoicingApi({
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  platformDatabaseUrl: process.env.PLATFORM_DATABASE_URL || undefined,
  clusters: DatabaseClusters.fromEnv(),
  pgMaxConnections: pgMaxConnectionsFromEnv(),
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  keycloakUrl: process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8090',
  storage: storageOptionsFromEnv(),
  port: Number(process.env.INVOICING_API_PORT ?? 3100),
  autoSend: autoSendFromEnv(process.env.INVOICING_AUTO_SEND_INTERVAL_MS),
  anafOAuth: {
    oauthBaseUrl: process.env.ANAF_OAUTH_URL ?? 'http://127.0.0.1:8095/anaf-oauth2/v1',
    clientId: process.env.ANAF_CLIENT_ID ?? 'cetate-dev',
    clientSecret: process.env.ANAF_CLIENT_SECRET ?? 'cetate-dev-secret',
    redirectUri: process.env.ANAF_REDIRECT_URI ?? 'http://127.0.0.1:3100/v1/anaf/oauth/callback',
  },
  secrets,
  anafTaxpayerUrl: process.env.ANAF_TAXPAYER_URL || undefined,
  anafTaxpayerTimeoutMs: Number(process.env.ANAF_TAXPAYER_TIMEOUT_MS) > 0 ? Number(process.env.ANAF_TAXPAYER_TIMEOUT_MS) : undefined,
}).catch((err: unknown) => {
  log.fatal({ err }, 'invoicing-api failed to start');
  process.exit(1);
});

closeOnSignals(log, telemetry, () => api.close(), () => secrets.close());

/** `INVOICING_AUTO_SEND_INTERVAL_MS`: unset = the default 15 min, `0` = no scheduler in this process, else ms. */
function autoSendFromEnv(value: string | undefined): { intervalMs: number } | false | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) {
    log.fatal({ value }, 'INVOICING_AUTO_SEND_INTERVAL_MS must be a whole number of milliseconds (0 = off)');
    process.exit(1);
  }
  return ms === 0 ? false : { intervalMs: ms };
}
