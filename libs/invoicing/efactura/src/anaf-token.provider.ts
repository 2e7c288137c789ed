import { AnafAuthError, AnafOAuthClient, RefreshingTokenProvider, type AnafTokenSet, type AnafTokenStore } from '@cetate/anaf-client';
import type { SecretStore } from '@cetate/platform-secrets';
import { anafTokenSecretPath, SecretStoreAnafTokenStore } from './anaf-token.store.js';
import { PostgresRefreshLock, type TenantDatabase, useTenantDatabase } from './anaf-token.lock.js';

/** The application's registration at ANAF's OAuth server (ANAF-EFACTURA.md "OAuth 2.0"). */
export interface AnafOAuthConfig {
  /** e.g. `https://logincert.anaf.ro/anaf-oauth2/v1`, or the simulator's `http://127.0.0.1:8095/anaf-oauth2/v1`. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The callback ANAF redirects the browser to: invoicing-api's `GET /v1/anaf/oauth/callback` (https in production). */
  redirectUri: string;
}

/** A tenant as the token paths need it: its slug and its own (registry) CIF, digits only. */
export interface AnafTenantRef {
  slug: string;
  cif: string;
}

/**
 * Secret id of a company's tokens: `default` for the tenant's own CIF (the chain the e-Factura sending has always used,
 * so both paths share ONE token chain), the CIF itself for every other company.
 */
export function anafTokenId(tenant: AnafTenantRef, cif: string): string {
  return cif === tenant.cif ? 'default' : cif;
}

/**
 * Access-token provider of one ANAF authorisation whose refreshes are exclusive across processes
 * ({@link PostgresRefreshLock} in the tenant database, keyed by the secret path): a refresh token ANAF rotated is never
 * spent twice. Each refresh also stamps `efactura.anaf_company.last_refresh_at` (row with this `token_path`, if any) in
 * the lock's transaction; a refresh ANAF refuses with OAuth `invalid_grant` marks that row `revoked` (or `expired` once
 * its `refresh_expires_at` has passed) before the error goes on.
 */
export class LockedAnafTokenProvider extends RefreshingTokenProvider {
  private readonly lockRef: PostgresRefreshLock;
  private readonly clock: () => number;

  constructor(
    oauth: AnafOAuthClient,
    store: AnafTokenStore,
    private readonly db: TenantDatabase,
    /** The tokens' secret path (`anaf/oauth/<id>`): lock key and `efactura.anaf_company.token_path`. */
    readonly path: string,
    opts: { refreshSkewMs?: number; now?: () => number } = {},
  ) {
    const lock = new PostgresRefreshLock(db, path);
    const now = opts.now ?? Date.now;
    const recording: AnafTokenStore = {
      load: () => store.load(),
      async save(t: AnafTokenSet) {
        await store.save(t);
        await lock.manager?.query(`UPDATE efactura.anaf_company SET last_refresh_at = $2, updated_at = $2 WHERE token_path = $1`, [path, new Date(now())]);
      },
    };
    super(oauth, recording, { ...opts, lock });
    this.lockRef = lock;
    this.clock = now;
  }

  /** As {@link RefreshingTokenProvider.refreshNow}; an `invalid_grant` refusal is recorded on the company row first. */
  override async refreshNow(stale?: AnafTokenSet): Promise<AnafTokenSet> {
    try {
      return await super.refreshNow(stale);
    } catch (err) {
      if (err instanceof AnafAuthError && err.oauthError === 'invalid_grant') await this.recordRefused(err);
      throw err;
    }
  }

  private async recordRefused(err: AnafAuthError): Promise<void> {
    const at = new Date(this.clock());
    await useTenantDatabase(this.db, (ds) =>
      ds.query(
        `UPDATE efactura.anaf_company
            SET status = CASE WHEN refresh_expires_at IS NOT NULL AND refresh_expires_at <= $2 THEN 'expired' ELSE 'revoked' END,
                refused_at = $2, refused_reason = $3, updated_at = $2
          WHERE token_path = $1 AND status <> 'refused'`,
        [this.lockRef.path, at, err.message.slice(0, 500)],
      ),
    );
  }
}

/**
 * A tenant's ANAF access-token provider for its own CIF: tokens in the secret store (`anaf/oauth/default` of `tenant`),
 * refreshed 5 min before expiry (so an expiring access token never reaches ANAF).
 * @param db the tenant database: with it (worker-anaf: `(fn) => rt.dataSources.withDataSource(tenant, fn)`), refreshes
 *   are exclusive across processes ({@link LockedAnafTokenProvider}); without it, single-flight in this process only.
 */
export function tenantAnafTokens(cfg: AnafOAuthConfig, secrets: SecretStore, tenant: string, db?: TenantDatabase): RefreshingTokenProvider {
  const store = new SecretStoreAnafTokenStore(secrets, tenant);
  return db ? new LockedAnafTokenProvider(new AnafOAuthClient(cfg), store, db, anafTokenSecretPath('default')) : new RefreshingTokenProvider(new AnafOAuthClient(cfg), store);
}

/**
 * The ANAF access-token provider of one company CIF of a tenant (issue 10 point 1), e.g. for the inbox sync of that CIF:
 * tokens at `anaf/oauth/default` for the tenant's own CIF (the same chain as {@link tenantAnafTokens}) and
 * `anaf/oauth/<cif>` for the others; refreshes locked across processes in the tenant database.
 * `getAccessToken()` throws `AnafAuthorizationRequiredError` (ANAF_AUTH_REQUIRED) while the CIF is not authorised,
 * `AnafAuthError` when ANAF refuses the refresh (the company row is then `revoked`/`expired`).
 * @param tenant the tenant's slug and own CIF (registry).
 * @param cif the company CIF, digits only.
 * @param db the tenant database (a DataSource, or `(fn) => dataSources.withDataSource(slug, fn)`).
 * @param opts `refreshSkewMs` (default 5 min before expiry), `now` (clock in epoch ms for the expiry and the token
 *   answers' `expiresAt`; tests move it).
 */
export function companyAnafTokens(
  cfg: AnafOAuthConfig,
  secrets: SecretStore,
  tenant: AnafTenantRef,
  cif: string,
  db: TenantDatabase,
  opts: { refreshSkewMs?: number; now?: () => number } = {},
): LockedAnafTokenProvider {
  const id = anafTokenId(tenant, cif);
  const oauth = new AnafOAuthClient({ ...cfg, ...(opts.now ? { now: opts.now } : {}) });
  return new LockedAnafTokenProvider(oauth, new SecretStoreAnafTokenStore(secrets, tenant.slug, id), db, anafTokenSecretPath(id), opts);
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
