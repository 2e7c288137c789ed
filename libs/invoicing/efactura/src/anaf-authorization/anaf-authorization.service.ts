import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AnafAuthError, AnafOAuthClient } from '@cetate/anaf-client';
import {
  ANAF_AUTHORIZATION_WARNING_DAYS,
  EfacturaAuthorizationExpiringEvent,
  type AnafCompanyStatus,
  type AnafCompanyView,
} from '@cetate/invoicing-contracts';
import { Outbox } from '@cetate/platform-messaging';
import type { SecretStore } from '@cetate/platform-secrets';
import { isValidCif, TENANT_SLUG_PATTERN } from '@cetate/platform-tenancy';
import { PostgresRefreshLock } from '../anaf-token.lock.js';
import { anafTokenId, type AnafOAuthConfig, type AnafTenantRef } from '../anaf-token.provider.js';
import { anafTokenSecretPath, SecretStoreAnafTokenStore } from '../anaf-token.store.js';
import { AnafCompanyRepository, type AnafCompanyRow, type AuthorizationWrite } from './anaf-company.repository.js';
import {
  AnafCompanyInvalidError,
  AnafCompanyNotFoundError,
  AnafOAuthCodeRefusedError,
  AnafOAuthDeniedError,
  AnafOAuthStateError,
} from './anaf-authorization.errors.js';

const DAY_MS = 86_400_000;
/** Lifetime of ANAF's refresh token, days (ANAF-EFACTURA.md "What changed in 2025-2026": refresh token 365 days). */
export const ANAF_REFRESH_TOKEN_DAYS = 365;
/** Lifetime of a pending OAuth state, ms (10 minutes, as ANAF's authorisation codes). */
export const ANAF_OAUTH_STATE_TTL_MS = 10 * 60_000;

/** A tenant as the service needs it (a `TenantRecord` of the registry fits): slug, own CIF, display name. */
export interface AnafTenant extends AnafTenantRef {
  /** Name given to the tenant's own company row when it is created (registry `displayName`). */
  displayName?: string;
}

/** What {@link AnafAuthorizationService} works with. */
export interface AnafAuthorizationDeps {
  /** The application's ANAF OAuth client registration (its `redirectUri` is invoicing-api's callback). */
  oauth: AnafOAuthConfig;
  /** Where the tokens go (`anaf/oauth/default` / `anaf/oauth/<cif>` of the tenant). */
  secrets: SecretStore;
  /** Tenant databases by slug (`TenantDataSources` of the module runtime). */
  dataSources: { withDataSource<T>(slug: string, fn: (dataSource: DataSource) => Promise<T>): Promise<T> };
  /** The tenant of a slug (registry, cached); throws for an unknown slug. Used by the public callback only. */
  tenantBySlug(slug: string): Promise<AnafTenant & { status?: string }>;
  /** Called after a warning event was committed to the outbox (e.g. the relay's `kick`). */
  kick?: () => void;
  /** Clock; tests move it. Default `() => new Date()`. */
  now?: () => Date;
}

/** What {@link AnafAuthorizationService.startAuthorization} returns. */
export interface AuthorizationStart {
  /** ANAF's authorize URL to send the tenant admin's browser to (certificate login at ANAF). */
  authorizeUrl: string;
  /** The OAuth `state` in it: `<tenant slug>.<43 base64url chars>`, single use, 10 minutes. */
  state: string;
}

/** What {@link AnafAuthorizationService.checkExpiry} did. */
export interface ExpiryCheckResult {
  /** CIFs now `expiring` (refresh token ends within 30 days). */
  expiring: string[];
  /** CIFs now `expired`. */
  expired: string[];
  /** CIFs for which a warning event was enqueued by this call (once per authorisation). */
  warned: string[];
}

/** The OAuth state of a tenant: its slug, a dot, 32 random bytes base64url. */
const STATE_RE = /^([a-z][a-z0-9-]{1,30})\.([A-Za-z0-9_-]{43})$/;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** CUI digits without the `RO` prefix and spaces. */
function cifDigits(cif: string): string {
  return cif.trim().toUpperCase().replace(/^RO/, '').trim();
}

/** Whole days from `now` to `until`, rounded up (0 or less once passed). */
function daysBetween(now: Date, until: Date): number {
  return Math.ceil((until.getTime() - now.getTime()) / DAY_MS);
}

/**
 * ANAF authorisation of the companies of a tenant (issue 10 point 1). Each company CIF has a row in
 * `efactura.anaf_company`; the tenant's own CIF (registry) gets its row on first use, `authorized` when its tokens are
 * already in the secret store. Tokens live in the secret store only (`anaf/oauth/default` for the tenant's own CIF,
 * shared with the e-Factura sending; `anaf/oauth/<cif>` for the others).
 *
 * Flow (ANAF-EFACTURA.md "OAuth 2.0", RFC 6749 §4.1): {@link startAuthorization} issues a single-use `state`
 * (`<tenant>.<random>`, kept hashed, 10 minutes) and ANAF's authorize URL; ANAF redirects the browser to invoicing-api's
 * public callback, which calls {@link completeAuthorization} (state checked and consumed, code exchanged, tokens stored
 * under the refresh lock, status `authorized`, refresh token end = now + 365 days; rotations do not move it) or
 * {@link denyAuthorization}. {@link markRefused} records ANAF's 403 on a CIF; {@link checkExpiry} turns authorisations
 * `expiring` 30 days before their end (`expired` after it) and enqueues ONE `invoicing.efactura.authorization-expiring`
 * event per authorisation through the tenant's outbox.
 */
export class AnafAuthorizationService {
  private readonly repo = new AnafCompanyRepository();
  private readonly client: AnafOAuthClient;
  private readonly now: () => Date;

  constructor(private readonly deps: AnafAuthorizationDeps) {
    this.now = deps.now ?? (() => new Date());
    this.client = new AnafOAuthClient({ ...deps.oauth, now: () => this.now().getTime() });
  }

  /** The tenant of a slug as the other methods take it (registry lookup of the deps). */
  tenant(slug: string): Promise<AnafTenant> {
    return this.deps.tenantBySlug(slug);
  }

  /**
   * `GET /v1/anaf/companies`: every company of the tenant, its own CIF first, after running {@link checkExpiry} (so
   * the statuses shown are current and the warning is enqueued even when no worker runs).
   * @returns `AnafCompanyView[]` (`daysToExpiry` in whole days, `warning` in words, null when nothing to do).
   */
  async list(tenant: AnafTenant): Promise<AnafCompanyView[]> {
    await this.checkExpiry(tenant);
    const now = this.now();
    return this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      return (await this.repo.list(ds, tenant.cif)).map((r) => this.view(tenant, r, now));
    });
  }

  /** One company's view. @throws AnafCompanyNotFoundError. */
  async get(tenant: AnafTenant, cif: string): Promise<AnafCompanyView> {
    const digits = cifDigits(cif);
    return this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      const row = await this.repo.get(ds, digits);
      if (!row) throw new AnafCompanyNotFoundError(digits);
      return this.view(tenant, row, this.now());
    });
  }

  /**
   * `POST /v1/anaf/companies`: adds a company CIF to the tenant (status `not_authorized`); an existing CIF is renamed.
   * @param cif CUI with or without `RO`, control digit checked (`isValidCif`, ANAF CUI algorithm); stored as digits.
   * @param name 1..200 characters.
   * @throws AnafCompanyInvalidError (400) for a bad CIF or name.
   */
  async addCompany(tenant: AnafTenant, cif: string, name: string): Promise<AnafCompanyView> {
    if (typeof cif !== 'string' || !isValidCif(cif)) {
      throw new AnafCompanyInvalidError('cif', `"${String(cif).slice(0, 20)}" is not a valid Romanian CUI (2-10 digits, control digit checked).`);
    }
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (!trimmed || trimmed.length > 200) throw new AnafCompanyInvalidError('name', 'name must be 1 to 200 characters.');
    const digits = cifDigits(cif);
    const at = this.now();
    return this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      const inserted = await this.repo.insertIfAbsent(ds, { cif: digits, name: trimmed, tokenPath: this.tokenPath(tenant, digits), at });
      if (!inserted) await this.repo.rename(ds, digits, trimmed, at);
      return this.view(tenant, (await this.repo.get(ds, digits))!, at);
    });
  }

  /**
   * `POST /v1/anaf/companies/:cif/authorization`: a new single-use OAuth state for the CIF (the previous pending one
   * stops working) and ANAF's authorize URL carrying it.
   * @throws AnafCompanyNotFoundError (404).
   */
  async startAuthorization(tenant: AnafTenant, cif: string): Promise<AuthorizationStart> {
    const digits = cifDigits(cif);
    const state = `${tenant.slug}.${randomBytes(32).toString('base64url')}`;
    const at = this.now();
    await this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      if (!(await this.repo.setPendingState(ds, digits, sha256(state), new Date(at.getTime() + ANAF_OAUTH_STATE_TTL_MS), at))) {
        throw new AnafCompanyNotFoundError(digits);
      }
    });
    return { authorizeUrl: this.client.authorizeUrl(state), state };
  }

  /**
   * The OAuth callback with a `code`: consumes the state (single use), exchanges the code at ANAF's token endpoint,
   * stores the tokens (under the refresh lock of their secret path, so a refresh in progress elsewhere cannot
   * overwrite them) and sets the company `authorized` (refresh token end = now + 365 days, refusal and warning cleared).
   * @returns the tenant slug and the company's new view.
   * @throws AnafOAuthStateError (unknown, used or expired state), AnafOAuthCodeRefusedError (ANAF refused the code),
   *   SecretStoreError.
   */
  async completeAuthorization(state: string, code: string): Promise<{ tenant: string; company: AnafCompanyView }> {
    const { tenant, cif, tokenPath } = await this.takeState(state);
    let tokens;
    try {
      tokens = await this.client.exchangeCode(code);
    } catch (err) {
      if (err instanceof AnafAuthError) throw new AnafOAuthCodeRefusedError(cif, err);
      throw err;
    }
    const authorizedAt = this.now();
    const a: AuthorizationWrite = { authorizedAt, refreshExpiresAt: new Date(authorizedAt.getTime() + ANAF_REFRESH_TOKEN_DAYS * DAY_MS) };
    const id = tokenPath.slice('anaf/oauth/'.length);
    const company = await this.inTenant(tenant.slug, async (ds) => {
      const lock = new PostgresRefreshLock(ds, tokenPath);
      await lock.run(async () => {
        await new SecretStoreAnafTokenStore(this.deps.secrets, tenant.slug, id, () => authorizedAt).saveAuthorization(tokens);
        await this.repo.authorized(lock.manager!, cif, a);
      });
      return this.view(tenant, (await this.repo.get(ds, cif))!, authorizedAt);
    });
    return { tenant: tenant.slug, company };
  }

  /**
   * The OAuth callback with an `error` (RFC 6749 §4.1.2.1): consumes the state; the company keeps its status.
   * @throws AnafOAuthDeniedError always (after consuming a valid state); AnafOAuthStateError for a bad state.
   */
  async denyAuthorization(state: string, oauthError: string, description?: string): Promise<never> {
    const { cif } = await this.takeState(state);
    throw new AnafOAuthDeniedError(cif, oauthError, description);
  }

  /**
   * ANAF answered HTTP 403 for this CIF (the certificate holder has no right on it, ANAF-EFACTURA.md "Limits"): status
   * `refused` with `reason`, kept until the CIF is authorised again. Called by the inbox sync; the other CIFs go on.
   * @throws AnafCompanyNotFoundError when the tenant has no such company.
   */
  async markRefused(tenant: AnafTenant, cif: string, reason: string): Promise<void> {
    const digits = cifDigits(cif);
    await this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      if (!(await this.repo.refused(ds, digits, reason, this.now()))) throw new AnafCompanyNotFoundError(digits);
    });
  }

  /**
   * The 30-day warning (issue 10 point 1): every authorisation whose refresh token ends within
   * {@link ANAF_AUTHORIZATION_WARNING_DAYS} days of `now` becomes `expiring` (`expired` once ended) and, unless already
   * warned for this authorisation, gets ONE `invoicing.efactura.authorization-expiring` v1 event in the tenant's outbox
   * (same transaction; deterministic message id per tenant, CIF and authorisation). Idempotent; concurrent calls do
   * not warn twice (rows locked). Called by the inbox sync runs and by {@link list}.
   */
  async checkExpiry(tenant: AnafTenant, now: Date = this.now()): Promise<ExpiryCheckResult> {
    const result: ExpiryCheckResult = { expiring: [], expired: [], warned: [] };
    await this.inTenant(tenant.slug, async (ds) => {
      await this.ensurePrimary(ds, tenant);
      await ds.transaction(async (m) => {
        for (const r of await this.repo.endingBy(m, new Date(now.getTime() + ANAF_AUTHORIZATION_WARNING_DAYS * DAY_MS))) {
          const ends = r.refreshExpiresAt!;
          const status = ends.getTime() <= now.getTime() ? 'expired' : 'expiring';
          (status === 'expired' ? result.expired : result.expiring).push(r.cif);
          const warn = r.warnedAt === null;
          if (warn) {
            const authorization = (r.authorizedAt ?? ends).toISOString();
            await Outbox.enqueue(
              m,
              EfacturaAuthorizationExpiringEvent,
              { tenant: tenant.slug, cif: r.cif, refreshExpiresAt: ends.toISOString(), daysLeft: daysBetween(now, ends) },
              {
                tenantId: tenant.slug,
                correlationId: `anaf-authorization:${r.cif}:${authorization}`,
                idempotencyKey: `anaf-authorization-expiring:${r.cif}:${authorization}`,
                messageId: `anaf-authorization-expiring:${tenant.slug}:${r.cif}:${authorization}`,
              },
            );
            result.warned.push(r.cif);
          }
          if (warn || r.status !== status) await this.repo.setExpiryStatus(m, r.cif, status, now, warn);
        }
      });
    });
    if (result.warned.length) this.deps.kick?.();
    return result;
  }

  /** Runs `fn` on the tenant's database. */
  private inTenant<T>(slug: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
    return this.deps.dataSources.withDataSource(slug, fn);
  }

  private tokenPath(tenant: AnafTenantRef, cif: string): string {
    return anafTokenSecretPath(anafTokenId(tenant, cif));
  }

  /**
   * Creates the row of the tenant's own CIF on first use: `authorized` (with the stored `authorized_at`) when the
   * secret store already holds its tokens (`anaf/oauth/default`, e.g. authorised before this table existed).
   */
  private async ensurePrimary(ds: DataSource, tenant: AnafTenant): Promise<void> {
    if (await this.repo.get(ds, tenant.cif)) return;
    const path = anafTokenSecretPath('default');
    const secret = await this.deps.secrets.get(tenant.slug, path);
    let authorization: AuthorizationWrite | undefined;
    if (secret?.refresh_token) {
      const at = secret.authorized_at ? new Date(secret.authorized_at) : this.now();
      authorization = { authorizedAt: at, refreshExpiresAt: new Date(at.getTime() + ANAF_REFRESH_TOKEN_DAYS * DAY_MS) };
    }
    await this.repo.insertIfAbsent(ds, { cif: tenant.cif, name: tenant.displayName || tenant.slug, tokenPath: path, at: this.now(), authorization });
  }

  /** Checks and consumes an OAuth state: the tenant it names, the CIF and token path of its company. */
  private async takeState(state: string): Promise<{ tenant: AnafTenant; cif: string; tokenPath: string }> {
    const match = typeof state === 'string' ? STATE_RE.exec(state) : null;
    if (!match || !TENANT_SLUG_PATTERN.test(match[1]!)) throw new AnafOAuthStateError('unknown');
    let tenant: AnafTenant & { status?: string };
    try {
      tenant = await this.deps.tenantBySlug(match[1]!);
    } catch {
      throw new AnafOAuthStateError('unknown');
    }
    if (tenant.status !== undefined && tenant.status !== 'active') throw new AnafOAuthStateError('unknown');
    const at = this.now();
    const taken = await this.inTenant(tenant.slug, (ds) => this.repo.takeState(ds, sha256(state), at));
    if (!taken) throw new AnafOAuthStateError('unknown');
    if (taken.expiresAt.getTime() <= at.getTime()) throw new AnafOAuthStateError('expired');
    return { tenant, cif: taken.cif, tokenPath: taken.tokenPath };
  }

  private view(tenant: AnafTenantRef, r: AnafCompanyRow, now: Date): AnafCompanyView {
    let status: AnafCompanyStatus = r.status;
    const ends = r.refreshExpiresAt;
    if (ends && (status === 'authorized' || status === 'expiring' || status === 'expired')) {
      status = ends.getTime() <= now.getTime() ? 'expired' : ends.getTime() <= now.getTime() + ANAF_AUTHORIZATION_WARNING_DAYS * DAY_MS ? 'expiring' : 'authorized';
    }
    const day = ends?.toISOString().slice(0, 10);
    const days = ends ? daysBetween(now, ends) : null;
    const again = `a tenant admin must authorise it again (POST /v1/anaf/companies/${r.cif}/authorization)`;
    const warning: Record<AnafCompanyStatus, string | null> = {
      not_authorized: `CIF ${r.cif} is not connected to ANAF yet: a tenant admin must authorise it (POST /v1/anaf/companies/${r.cif}/authorization).`,
      authorized: null,
      expiring: `The ANAF authorisation of CIF ${r.cif} ends on ${day} (in ${days} days): ${again}, or sending and receiving e-Factura for it stop.`,
      expired: `The ANAF authorisation of CIF ${r.cif} ended on ${day}: ${again}; nothing is sent to or read from ANAF for it meanwhile.`,
      refused: `ANAF refused access to CIF ${r.cif} (the certificate holder has no right on this CIF): ${again} with a certificate that has rights on it.`,
      revoked: `ANAF no longer accepts the authorisation of CIF ${r.cif} (refresh token refused): ${again}.`,
    };
    return {
      cif: r.cif,
      name: r.name,
      primary: r.cif === tenant.cif,
      status,
      authorizedAt: r.authorizedAt?.toISOString() ?? null,
      refreshExpiresAt: ends?.toISOString() ?? null,
      lastRefreshAt: r.lastRefreshAt?.toISOString() ?? null,
      daysToExpiry: days,
      warning: warning[status],
      refusedReason: status === 'refused' || status === 'revoked' ? r.refusedReason : null,
    };
  }
}
