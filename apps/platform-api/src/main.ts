/**
 * `platform-api` process entry. Environment (README "Environment variables"): DATABASE_URL, PLATFORM_DATABASE_URL,
 * PG_CLUSTERS, AMQP_URL, S3_*, KEYCLOAK_URL, KEYCLOAK_ADMIN_CLIENT_ID/SECRET, SECRET_STORE, CETATE_MASTER_KEY*,
 * CETATE_SHELL_ORIGIN, PUBLIC_KEYCLOAK_URL (shell manifest; default KEYCLOAK_URL), PLATFORM_API_PORT (default 3200). SIGINT/SIGTERM close everything gracefully.
 */
import { closeOnSignals, createLogger, initTelemetry } from '@cetate/platform-observability';

const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME || 'platform-api' });
const log = createLogger('platform-api');
const { startPlatformApi } = await import('./platform-api.js');
const { platformServicesConfigFromEnv } = await import('./platform-services.js');
const { tenantUsersExtra } = await import('./tenant-users.js');

const cfg = platformServicesConfigFromEnv();
const api = await startPlatformApi({
  ...cfg,
  keycloakUrl: process.env.KEYCLOAK_URL || 'http://127.0.0.1:8090',
  publicKeycloakUrl: process.env.PUBLIC_KEYCLOAK_URL || undefined,
  port: Number(process.env.PLATFORM_API_PORT || 3200),
  extra: tenantUsersExtra(cfg.identity),
}).catch((err: unknown) => {
  log.fatal({ err }, 'platform-api failed to start');
  process.exit(1);
});

closeOnSignals(log, telemetry, () => api.close());
