import { platformDatabaseUrl } from '@cetate/platform-tenancy';
import { TaxpayerLookup, type TaxpayerLookupOptions } from './taxpayer-lookup.js';

/**
 * The {@link TaxpayerLookup} of a process from its environment:
 * - `ANAF_TAXPAYER_URL`: URL of `PlatitorTvaRest/v9/tva` (default ANAF's production
 *   `https://webservicesp.anaf.ro/api/PlatitorTvaRest/v9/tva`; the simulator: `<sim url>/api/PlatitorTvaRest/v9/tva`);
 * - `ANAF_TAXPAYER_TIMEOUT_MS`: per-call timeout (default 15000);
 * - the platform database: `platformDatabaseUrl(env)` (`PLATFORM_DATABASE_URL`, else `cetate_platform` next to
 *   `DATABASE_URL`).
 * `overrides` win over the environment. The caller runs `open()` at start and `close()` at shutdown.
 */
export function taxpayerLookupFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: TaxpayerLookupOptions = {}): TaxpayerLookup {
  const timeout = Number(env.ANAF_TAXPAYER_TIMEOUT_MS);
  return new TaxpayerLookup({
    databaseUrl: platformDatabaseUrl(env),
    ...(env.ANAF_TAXPAYER_URL ? { anafUrl: env.ANAF_TAXPAYER_URL } : {}),
    ...(Number.isInteger(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
    ...overrides,
  });
}
