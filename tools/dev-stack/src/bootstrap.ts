import { openPlatformServices, platformServicesConfigFromEnv } from '@cetate/platform-api';
import type { ProgressEvent } from '@cetate/platform-provisioning';
import type { TenantRecord } from '@cetate/platform-tenancy';
import { authorizeWithSimulator, type AnafOAuthConfig } from '@cetate/invoicing-efactura';

/** The demo tenant: company, realm `demo` of the dev identity server (seeded), CIF of the demo seller. */
export const DEMO_TENANT = { slug: 'demo', displayName: 'Cetate Demo Software SRL', cif: '41832096' };

/**
 * Provisions the launcher's demo tenant with the provisioning saga, exactly as `cetate tenant create` does
 * (realm -> database + every module's migrations -> bucket -> secrets -> `platform.tenant.provisioned`; a half-done
 * tenant is finished, an active one left as is), then runs the pending module migrations (the operator's upgrade
 * step, `cetate tenant migrate`) and, against the simulator only, ANAF's authorisation (the simulator forgets its
 * tokens at each start; the real ANAF needs the certificate holder's login). Services come from `env`
 * (`platformServicesConfigFromEnv`) and are closed afterwards.
 * @throws the saga's errors (`ProvisioningStepError` names the failed step).
 */
export async function provisionDemoTenant(opts: {
  env: NodeJS.ProcessEnv;
  tenant: { slug: string; displayName: string; cif: string };
  anafSimulatorOAuth?: AnafOAuthConfig;
  onProgress?: (e: ProgressEvent) => void;
}): Promise<TenantRecord> {
  const cfg = platformServicesConfigFromEnv(opts.env);
  const services = await openPlatformServices({ ...cfg, name: 'cetate-launcher' });
  try {
    const { tenant } = await services.saga.create(
      { ...opts.tenant, admin: { email: `admin@${opts.tenant.slug}.example`, username: 'admin' } },
      opts.onProgress,
    );
    await services.saga.migrate(tenant.slug);
    if (opts.anafSimulatorOAuth) await authorizeWithSimulator(opts.anafSimulatorOAuth, cfg.secrets, tenant.slug);
    return tenant;
  } finally {
    await services.close();
  }
}
