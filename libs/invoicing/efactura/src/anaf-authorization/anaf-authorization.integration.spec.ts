import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: ANAF's OAuth server is the real simulator
import { startAnafSimulator, type AnafSimulator } from '@cetate/anaf-sim';
import { AnafAuthError, AnafClient, AnafOAuthClient, RefreshingTokenProvider } from '@cetate/anaf-client';
import { EFACTURA_AUTHORIZATION_EXPIRING_KEY } from '@cetate/invoicing-contracts';
import { INVOICING_ENTITIES, INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { LocalKeyringSecretStore, MasterKeyring } from '@cetate/platform-secrets';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import {
  AnafAuthorizationService,
  AnafCompanyInvalidError,
  AnafOAuthStateError,
  authorizeWithSimulator,
  companyAnafTokens,
  SecretStoreAnafTokenStore,
  tenantAnafTokens,
  type AnafOAuthConfig,
  type AnafTenant,
} from '../index.js';

const DAY_MS = 86_400_000;
const PRIMARY_CIF = '41832096';
const OTHER_CIF = '14399840';

/** Follows ANAF's authorize redirect (the simulator answers at once) and returns the `code` and `state` it carries. */
async function followAuthorize(url: string): Promise<{ code: string; state: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { code: location.searchParams.get('code')!, state: location.searchParams.get('state')! };
}

describe('ANAF authorisation per company CIF (issue 10 point 1)', () => {
  let platformDb: TestDatabase;
  let tenantDb: TestDatabase;
  let secrets: LocalKeyringSecretStore;
  let ds: DataSource;
  let ds2: DataSource;
  let sim: AnafSimulator;
  let cfg: AnafOAuthConfig;
  /** Offset of every clock of this test (simulator, service, providers), ms. */
  let offsetMs = 0;
  const clock = () => Date.now() + offsetMs;
  const tenant: AnafTenant = { slug: `w${randomBytes(3).toString('hex')}`, cif: PRIMARY_CIF, displayName: 'Primary SRL' };
  let service: AnafAuthorizationService;
  let kicks = 0;

  const moveClock = (ms: number) => {
    offsetMs = ms;
    sim.setClockOffsetMs(ms);
  };
  const outboxWarnings = async () =>
    (await ds.query(`SELECT message_id, payload FROM messaging.outbox WHERE routing_key = $1 ORDER BY id`, [EFACTURA_AUTHORIZATION_EXPIRING_KEY])) as Array<{
      message_id: string;
      payload: { tenant: string; cif: string; refreshExpiresAt: string; daysLeft: number };
    }>;

  beforeAll(async () => {
    [platformDb, tenantDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    secrets = new LocalKeyringSecretStore({ url: platformDb.url, keyring: new MasterKeyring({ id: 'k1', key: randomBytes(32) }), poolSize: 2 });
    await secrets.ensureTenant(tenant.slug);
    ds = await new DataSource({ type: 'postgres', url: tenantDb.url, poolSize: 4, entities: INVOICING_ENTITIES, migrations: [...INVOICING_MIGRATIONS] }).initialize();
    await ds.runMigrations();
    // a second "process": its own connection pool on the same tenant database
    ds2 = await new DataSource({ type: 'postgres', url: tenantDb.url, poolSize: 4 }).initialize();
    sim = await startAnafSimulator({ processingDelayMs: 0, accessTokenTtlSeconds: 3600 });
    cfg = { oauthBaseUrl: `${sim.url}/anaf-oauth2/v1`, clientId: 'cetate-test', clientSecret: 'cetate-test-secret', redirectUri: 'http://127.0.0.1:3100/v1/anaf/oauth/callback' };
    service = new AnafAuthorizationService({
      oauth: cfg,
      secrets,
      dataSources: { withDataSource: (slug, fn) => (slug === tenant.slug ? fn(ds) : Promise.reject(new Error(`unknown tenant ${slug}`))) },
      tenantBySlug: async (slug) => {
        if (slug !== tenant.slug) throw new Error(`unknown tenant ${slug}`);
        return { ...tenant, status: 'active' };
      },
      kick: () => void kicks++,
      now: () => new Date(clock()),
    });
  });
  afterAll(async () => {
    await sim?.close();
    await ds2?.destroy();
    await ds?.destroy();
    await secrets?.close();
    await Promise.all([platformDb?.drop(), tenantDb?.drop()]);
  });

  it('lists the tenant own CIF at once; the code flow (authorize → redirect → callback) authorises a CIF; a state is single use, unknown or expired states are refused', async () => {
    const before = await service.list(tenant);
    expect(before).toEqual([expect.objectContaining({ cif: PRIMARY_CIF, name: 'Primary SRL', primary: true, status: 'not_authorized', authorizedAt: null })]);
    expect(before[0]!.warning).toMatch(/not connected to ANAF/);

    await expect(service.addCompany(tenant, '14399841', 'Bad Check Digit SRL')).rejects.toBeInstanceOf(AnafCompanyInvalidError);
    await expect(service.addCompany(tenant, OTHER_CIF, '  ')).rejects.toBeInstanceOf(AnafCompanyInvalidError);
    const added = await service.addCompany(tenant, `RO${OTHER_CIF}`, 'Second SRL');
    expect(added).toMatchObject({ cif: OTHER_CIF, primary: false, status: 'not_authorized' });

    const grantsBefore = sim.oauthStats().codeGrants;
    for (const cif of [PRIMARY_CIF, OTHER_CIF]) {
      const start = await service.startAuthorization(tenant, cif);
      expect(start.state.startsWith(`${tenant.slug}.`)).toBe(true);
      const authorize = new URL(start.authorizeUrl);
      expect(authorize.searchParams.get('redirect_uri')).toBe(cfg.redirectUri);
      expect(authorize.searchParams.get('state')).toBe(start.state);
      const { code, state } = await followAuthorize(start.authorizeUrl);
      expect(state).toBe(start.state);
      // the state is kept hashed only
      const [row] = (await ds.query(`SELECT oauth_state_sha256 FROM efactura.anaf_company WHERE cif = $1`, [cif])) as Array<{ oauth_state_sha256: string }>;
      expect(row!.oauth_state_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(row!.oauth_state_sha256).not.toContain(state.split('.')[1]);

      const done = await service.completeAuthorization(state, code);
      expect(done.tenant).toBe(tenant.slug);
      expect(done.company).toMatchObject({ cif, status: 'authorized', warning: null, daysToExpiry: 365 });
      expect(Date.parse(done.company.refreshExpiresAt!) - Date.parse(done.company.authorizedAt!)).toBe(365 * DAY_MS);

      // the same state again (a replayed callback) is refused, and nothing is exchanged
      const again = await service.completeAuthorization(state, code).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(AnafOAuthStateError);
      expect((again as AnafOAuthStateError).reason).toBe('unknown');
    }
    expect(sim.oauthStats().codeGrants - grantsBefore).toBe(2);
    // tokens: the tenant's own CIF shares the sending's chain (anaf/oauth/default), the other has its own
    expect(await secrets.list(tenant.slug)).toEqual([`anaf/oauth/${OTHER_CIF}`, 'anaf/oauth/default']);
    expect(await new SecretStoreAnafTokenStore(secrets, tenant.slug).load()).toMatchObject({ tokenType: 'Bearer' });

    // unknown states: never issued, another tenant's slug, garbage
    for (const bad of [`${tenant.slug}.${randomBytes(32).toString('base64url')}`, `nosuchtenant.${randomBytes(32).toString('base64url')}`, 'garbage']) {
      await expect(service.completeAuthorization(bad, 'x')).rejects.toMatchObject({ code: 'ANAF_OAUTH_STATE_INVALID', reason: 'unknown' });
    }
    // an expired state (the callback 11 minutes later)
    const late = await service.startAuthorization(tenant, OTHER_CIF);
    const { code } = await followAuthorize(late.authorizeUrl);
    moveClock(11 * 60_000);
    try {
      await expect(service.completeAuthorization(late.state, code)).rejects.toMatchObject({ code: 'ANAF_OAUTH_STATE_INVALID', reason: 'expired' });
    } finally {
      moveClock(0);
    }
    // a denied authorisation (ANAF redirects with error=access_denied) consumes the state; the status stays
    const denied = await service.startAuthorization(tenant, OTHER_CIF);
    await expect(service.denyAuthorization(denied.state, 'access_denied')).rejects.toMatchObject({ code: 'ANAF_OAUTH_DENIED' });
    await expect(service.completeAuthorization(denied.state, 'x')).rejects.toMatchObject({ reason: 'unknown' });
    expect((await service.get(tenant, OTHER_CIF)).status).toBe('authorized');
  });

  it('a refresh token ANAF rotated is never reused: two processes refreshing an expired access token at once make ONE refresh grant; then 5 refreshes in turn always spend the newest', async () => {
    const stats0 = sim.oauthStats();
    // two "processes": separate providers, separate connection pools on the tenant database
    const p1 = companyAnafTokens(cfg, secrets, tenant, OTHER_CIF, ds, { now: clock });
    const p2 = companyAnafTokens(cfg, secrets, tenant, OTHER_CIF, (fn) => fn(ds2), { now: clock });
    const stored0 = await new SecretStoreAnafTokenStore(secrets, tenant.slug, OTHER_CIF).load();
    moveClock(2 * 3600_000); // the access tokens (1 h) have expired, at ANAF too
    try {
      const [t1, t2] = await Promise.all([p1.getAccessToken(), p2.getAccessToken()]);
      expect(t1).toBe(t2);
      expect(t1).not.toBe(stored0!.accessToken);
      expect(sim.oauthStats().refreshGrants - stats0.refreshGrants).toBe(1);
      // both work at ANAF
      for (const p of [p1, p2]) {
        const client = new AnafClient({ apiBaseUrl: `${sim.url}/test/FCTEL/rest`, tokenProvider: p.asTokenProvider() });
        await expect(client.listaMesaje({ cif: OTHER_CIF, zile: 1 })).resolves.toEqual([]);
        client.shutdown();
      }
      // five forced refreshes, alternating processes: each spends the newest refresh token
      let previous = (await new SecretStoreAnafTokenStore(secrets, tenant.slug, OTHER_CIF).load())!.refreshToken;
      for (let i = 0; i < 5; i++) {
        const next = await (i % 2 ? p2 : p1).refreshNow();
        expect(next.refreshToken).not.toBe(previous);
        expect((await new SecretStoreAnafTokenStore(secrets, tenant.slug, OTHER_CIF).load())!.refreshToken).toBe(next.refreshToken);
        previous = next.refreshToken;
      }
      const stats = sim.oauthStats();
      expect(stats.refreshGrants - stats0.refreshGrants).toBe(6);
      expect(stats.refusedReusedRefreshTokens).toBe(stats0.refusedReusedRefreshTokens);
      const [row] = (await ds.query(`SELECT last_refresh_at FROM efactura.anaf_company WHERE cif = $1`, [OTHER_CIF])) as Array<{ last_refresh_at: Date }>;
      expect(Math.abs(row!.last_refresh_at.getTime() - clock())).toBeLessThan(60_000);

      // control: the same race WITHOUT the lock makes ANAF see a reused refresh token
      const oauth = new AnafOAuthClient({ ...cfg, now: clock });
      const unlocked = [0, 1].map(() => new RefreshingTokenProvider(oauth, new SecretStoreAnafTokenStore(secrets, tenant.slug, OTHER_CIF), { now: clock }));
      moveClock(4 * 3600_000);
      const raced = await Promise.allSettled(unlocked.map((p) => p.getAccessToken()));
      expect(raced.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(sim.oauthStats().refusedReusedRefreshTokens - stats0.refusedReusedRefreshTokens).toBe(1);
    } finally {
      moveClock(0);
    }
  });

  it('an expired access token is refreshed before the call: the API call succeeds and ANAF answers no 401', async () => {
    // the sending's provider of the tenant's own CIF (worker-anaf's tenantAnafTokens, now with the lock)
    const provider = tenantAnafTokens(cfg, secrets, tenant.slug, ds);
    const client = new AnafClient({ apiBaseUrl: `${sim.url}/test/FCTEL/rest`, tokenProvider: companyAnafTokens(cfg, secrets, tenant, PRIMARY_CIF, ds2, { now: clock }).asTokenProvider() });
    try {
      await expect(client.listaMesaje({ cif: PRIMARY_CIF, zile: 1 })).resolves.toEqual([]);
      const before = sim.oauthStats();
      moveClock(2 * 3600_000); // ANAF now refuses the stored access token (1 h)
      await expect(client.listaMesaje({ cif: PRIMARY_CIF, zile: 1 })).resolves.toEqual([]);
      const after = sim.oauthStats();
      expect(after.unauthorizedApiCalls).toBe(before.unauthorizedApiCalls);
      expect(after.refreshGrants - before.refreshGrants).toBe(1);
      // the same chain: the sending's provider now holds the refreshed token, with no refresh of its own
      expect(await provider.getAccessToken()).toBe((await new SecretStoreAnafTokenStore(secrets, tenant.slug).load())!.accessToken);
      expect(sim.oauthStats().refreshGrants).toBe(after.refreshGrants);
    } finally {
      client.shutdown();
      moveClock(0);
    }
  });

  it('the 30-day warning: 336 days after the authorisation the CIF is expiring with ONE warning event; a second check adds none; after the end it is expired', async () => {
    const authorizedAt = Date.parse((await service.get(tenant, OTHER_CIF)).authorizedAt!);
    expect(Number.isFinite(authorizedAt)).toBe(true);
    expect(await outboxWarnings()).toEqual([]);
    try {
    moveClock(authorizedAt + 300 * DAY_MS - Date.now());
    expect(await service.checkExpiry(tenant)).toEqual({ expiring: [], expired: [], warned: [] });

    moveClock(authorizedAt + 336 * DAY_MS - Date.now());
    const kicksBefore = kicks;
    const first = await service.checkExpiry(tenant);
    expect(first.warned).toContain(OTHER_CIF);
    expect(first.expiring).toContain(OTHER_CIF);
    expect(kicks).toBe(kicksBefore + 1);
    const view = (await service.list(tenant)).find((c) => c.cif === OTHER_CIF)!;
    expect(view).toMatchObject({ status: 'expiring', daysToExpiry: 29 });
    expect(view.warning).toMatch(/ends on .* \(in 29 days\)/);
    const warnings = (await outboxWarnings()).filter((w) => w.payload.cif === OTHER_CIF);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.payload).toEqual({ tenant: tenant.slug, cif: OTHER_CIF, refreshExpiresAt: view.refreshExpiresAt, daysLeft: 29 });

    const second = await service.checkExpiry(tenant);
    expect(second.warned).toEqual([]);
    expect((await outboxWarnings()).filter((w) => w.payload.cif === OTHER_CIF)).toHaveLength(1);

    moveClock(authorizedAt + 366 * DAY_MS - Date.now());
    const ended = await service.checkExpiry(tenant);
    expect(ended.expired).toContain(OTHER_CIF);
    expect(ended.warned).not.toContain(OTHER_CIF);
    expect((await service.get(tenant, OTHER_CIF)).status).toBe('expired');
    expect((await outboxWarnings()).filter((w) => w.payload.cif === OTHER_CIF)).toHaveLength(1);
    } finally {
      moveClock(0);
    }

    // a new authorisation starts over: authorized, and it may warn again 30 days before its own end
    const start = await service.startAuthorization(tenant, OTHER_CIF);
    const { code, state } = await followAuthorize(start.authorizeUrl);
    expect((await service.completeAuthorization(state, code)).company).toMatchObject({ status: 'authorized', warning: null });
    const [row] = (await ds.query(`SELECT warned_at FROM efactura.anaf_company WHERE cif = $1`, [OTHER_CIF])) as Array<{ warned_at: Date | null }>;
    expect(row!.warned_at).toBeNull();
  });

  it('markRefused: a CIF ANAF refused (403) is listed refused with its reason, kept until authorised again; a refused refresh token marks the company revoked', async () => {
    await service.markRefused(tenant, OTHER_CIF, 'HTTP 403: Nu aveti drept in SPV pentru CIF=14399840');
    let view = (await service.list(tenant)).find((c) => c.cif === OTHER_CIF)!;
    expect(view).toMatchObject({ status: 'refused', refusedReason: 'HTTP 403: Nu aveti drept in SPV pentru CIF=14399840' });
    expect(view.warning).toMatch(/no right on this CIF/);
    // the other CIF is untouched
    expect((await service.get(tenant, PRIMARY_CIF)).status).toBe('authorized');
    await expect(service.markRefused(tenant, '18547290', 'x')).rejects.toMatchObject({ code: 'ANAF_COMPANY_NOT_FOUND' });

    const start = await service.startAuthorization(tenant, OTHER_CIF);
    const { code, state } = await followAuthorize(start.authorizeUrl);
    view = (await service.completeAuthorization(state, code)).company;
    expect(view).toMatchObject({ status: 'authorized', refusedReason: null });

    // ANAF refuses the refresh token (revoked there): the row says so, and the error goes on
    const stored = (await new SecretStoreAnafTokenStore(secrets, tenant.slug, OTHER_CIF).load())!;
    await new AnafOAuthClient(cfg).revoke(stored.refreshToken);
    const err = await companyAnafTokens(cfg, secrets, tenant, OTHER_CIF, ds).refreshNow().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnafAuthError);
    expect((await service.get(tenant, OTHER_CIF))).toMatchObject({ status: 'revoked' });
  });

  it('the tenant own CIF authorised before the table existed (launcher, tokens already stored) is listed authorised', async () => {
    const other: AnafTenant = { slug: `w${randomBytes(3).toString('hex')}`, cif: '35246718', displayName: 'Earlier SRL' };
    await secrets.ensureTenant(other.slug);
    await authorizeWithSimulator(cfg, secrets, other.slug);
    const db = await createTestDatabase();
    const ods = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2, migrations: [...INVOICING_MIGRATIONS] }).initialize();
    try {
      await ods.runMigrations();
      const s = new AnafAuthorizationService({
        oauth: cfg,
        secrets,
        dataSources: { withDataSource: (_slug, fn) => fn(ods) },
        tenantBySlug: async () => other,
      });
      const stored = await secrets.get(other.slug, 'anaf/oauth/default');
      expect(await s.list(other)).toEqual([
        expect.objectContaining({ cif: '35246718', name: 'Earlier SRL', primary: true, status: 'authorized', authorizedAt: stored!.authorized_at }),
      ]);
    } finally {
      await ods.destroy();
      await db.drop();
      await secrets.deleteTenant(other.slug);
    }
  });
});
