import { AnafOAuthClient, RefreshingTokenProvider } from '@cetate/anaf-client';
import type { SecretStore } from '@cetate/platform-secrets';
import { SecretStoreAnafTokenStore } from './anaf-token.store.js';

/** The application's registration at ANAF's OAuth server (ANAF-EFACTURA.md "OAuth 2.0"). */
export interface AnafOAuthConfig {
  /** e.g. `https://logincert.anaf.ro/anaf-oauth2/v1`, or the simulator's `http://127.0.0.1:8095/anaf-oauth2/v1`. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/**
 * A tenant's ANAF access-token provider: tokens in the secret store (`anaf/oauth/default` of `tenant`),
 * refreshed 5 min before expiry.
 */
export function tenantAnafTokens(cfg: AnafOAuthConfig, secrets: SecretStore, tenant: string): RefreshingTokenProvider {
  return new RefreshingTokenProvider(new AnafOAuthClient(cfg), new SecretStoreAnafTokenStore(secrets, tenant));
}

/**
 * Completes ANAF's authorisation-code flow WITHOUT a browser, which only the simulator allows (its
 * `authorize` redirects straight back with a code; the real one needs the certificate holder's login).
 * Stores the tokens in the secret store (`anaf/oauth/default` of `tenant`, which must have its data key:
 * `secrets.ensureTenant(tenant)`). Used by the launcher for the demo tenant and by tests.
 * @throws Error when the authorize endpoint does not redirect with a `code`; SecretStoreError 404 when
 * the tenant has no data key.
 */
export async function authorizeWithSimulator(cfg: AnafOAuthConfig, secrets: SecretStore, tenant: string): Promise<void> {
  const oauth = new AnafOAuthClient(cfg);
  const res = await fetch(oauth.authorizeUrl('cetate'), { redirect: 'manual' });
  const location = res.headers.get('location');
  const code = location ? new URL(location, cfg.redirectUri).searchParams.get('code') : null;
  if (!code) throw new Error(`ANAF authorize at ${cfg.oauthBaseUrl} did not redirect with a code (HTTP ${res.status})`);
  await new SecretStoreAnafTokenStore(secrets, tenant).saveAuthorization(await oauth.exchangeCode(code));
}
