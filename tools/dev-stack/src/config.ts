/**
 * Configuration of the local platform, read once from the environment. Every variable is listed in
 * the README with its default. A variable that points at a real service (S3_ENDPOINT, KEYCLOAK_URL,
 * ANAF_BASE_URL) makes the launcher skip the matching embedded default.
 */
export interface StackConfig {
  databaseUrl: string;
  amqpUrl: string;
  /** S3 endpoint URL; undefined → the launcher starts the embedded S3 server on `s3Port`. */
  s3Endpoint?: string;
  s3Port: number;
  s3AccessKey: string;
  s3SecretKey: string;
  /** Keycloak (or dev identity) base URL; undefined → embedded dev identity server on `identityPort`. */
  keycloakUrl?: string;
  identityPort: number;
  /** ANAF API base URL (`.../FCTEL/rest`); undefined → embedded simulator on `anafSimPort`. */
  anafBaseUrl?: string;
  anafOAuthUrl?: string;
  anafSimPort: number;
  apiPort: number;
  platformApiPort: number;
  /** Port of `documents-api` (`DOCUMENTS_API_PORT`, 3300). */
  documentsApiPort: number;
  /** Port of the dev gateway serving the shell, the remotes and the APIs on one origin (`GATEWAY_PORT`, 8080). */
  gatewayPort: number;
  /** `CETATE_SKIP_UI=1`: neither build nor serve the UI apps (the gateway still routes the APIs). */
  skipUi: boolean;
  dataDir: string;
  demoTenant: string;
}

function int(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${v}"`);
  return n;
}

/** Reads the stack configuration from `process.env`. @throws Error naming the bad variable. */
export function readStackConfig(env = process.env): StackConfig {
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    amqpUrl: env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    s3Endpoint: env.S3_ENDPOINT || undefined,
    s3Port: int('S3_PORT', 9000),
    s3AccessKey: env.S3_ACCESS_KEY ?? 'S3RVER',
    s3SecretKey: env.S3_SECRET_KEY ?? 'S3RVER',
    keycloakUrl: env.KEYCLOAK_URL || undefined,
    identityPort: int('DEV_IDENTITY_PORT', 8090),
    anafBaseUrl: env.ANAF_BASE_URL || undefined,
    anafOAuthUrl: env.ANAF_OAUTH_URL || undefined,
    anafSimPort: int('ANAF_SIM_PORT', 8095),
    apiPort: int('INVOICING_API_PORT', 3100),
    platformApiPort: int('PLATFORM_API_PORT', 3200),
    documentsApiPort: int('DOCUMENTS_API_PORT', 3300),
    gatewayPort: int('GATEWAY_PORT', 8080),
    skipUi: env.CETATE_SKIP_UI === '1',
    dataDir: env.CETATE_DATA_DIR ?? '.cetate',
    demoTenant: env.CETATE_DEMO_TENANT ?? 'demo',
  };
}
