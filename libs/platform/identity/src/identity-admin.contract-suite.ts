/**
 * One test body for every server the Keycloak adapter drives (the dev identity server and a real
 * Keycloak in a container): `identityAdminContract(name, env)` registers the tests; `env()` is read
 * inside them, after the caller's `beforeAll` has started the server. Test support only (not exported
 * from the package index).
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientCredentialsTokenSource } from './client-credentials-token-source.js';
import { API_CLIENT_ID, IdentityAdminError, SHELL_CLIENT_ID, TENANT_REALM_ROLES, type TenantRealmSpec } from './identity-admin.js';
import type { KeycloakIdentityAdmin } from './keycloak-identity-admin.js';
import { RealmTokenVerifier } from './realm-token-verifier.js';

/** What the suite needs from the server under test. */
export interface IdentityAdminContractEnv {
  /** The adapter, authenticated against the server's admin realm. */
  admin: KeycloakIdentityAdmin;
  /** Server URL (`KEYCLOAK_URL`): issuers are `<url>/realms/<realm>`. */
  baseUrl: string;
  /** Label printed with the measurements. */
  label: string;
}

/** Redirect URI registered on `cetate-shell` by the suite (never reached: the code is read from the redirect). */
export const SUITE_REDIRECT = 'http://127.0.0.1:4200/callback';

/** A tenant realm spec with a unique realm name. */
export function suiteSpec(overrides: Partial<TenantRealmSpec> = {}): TenantRealmSpec {
  const realm = `t-${randomBytes(5).toString('hex')}`;
  return {
    realm,
    displayName: `Tenant ${realm}`,
    shellRedirectUris: ['http://127.0.0.1:4200/*'],
    shellWebOrigins: ['http://127.0.0.1:4200'],
    apiClientSecret: `secret-${randomBytes(8).toString('hex')}`,
    apiServiceAccountRoles: ['accountant'],
    firstAdmin: { username: 'First.Admin', email: `admin@${realm}.example`, firstName: 'Ana', lastName: 'Pop', temporaryPassword: 'Temp-pass-1' },
    ...overrides,
  };
}

/** Requests seen by {@link recordFetch}: method + path (+ `!` when the wrapper failed it). */
export interface FetchLog {
  calls: string[];
}

/**
 * Wraps `globalThis.fetch` (which the admin client calls) while `fn` runs: records each request and,
 * when `failAfter` is n, lets the n-th request reach the server and then throws as if the answer were
 * lost (the process "crashed" between call n and n+1).
 */
export async function recordFetch<T>(fn: () => Promise<T>, failAfter?: number): Promise<{ result?: T; error?: unknown; log: FetchLog }> {
  const original = globalThis.fetch;
  const log: FetchLog = { calls: [] };
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const res = await original(input, init);
    log.calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (failAfter !== undefined && log.calls.length === failAfter) {
      await res.body?.cancel().catch(() => undefined);
      log.calls[log.calls.length - 1] += ' !';
      throw new TypeError('fetch failed (injected after the server answered)');
    }
    return res;
  }) as typeof fetch;
  try {
    return { result: await fn(), log };
  } catch (error) {
    return { error, log };
  } finally {
    globalThis.fetch = original;
  }
}

/** Minimal cookie jar for the login pages (one host). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0\b|expires=Thu, 01 Jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** `name -> value` of the `<input type="hidden">` fields of a page (sent back with the form, as a browser does). */
function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (!/type="hidden"/.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (name) out[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  return out;
}

/** Outcome of {@link loginWithPassword}. */
export type LoginOutcome = { accessToken: string } | { refusedPage: string };

/**
 * A browser login through `cetate-shell` (authorization code + PKCE S256, RFC 6749 §4.1, RFC 7636):
 * the login form (`kc-form-login`: `username`, `password`), then, when the server asks for it
 * (Keycloak required action `UPDATE_PASSWORD`: fields `password-new`, `password-confirm`), a new
 * password; finally the code is exchanged at the token endpoint. A page without a form to fill
 * (e.g. "Account is disabled") ends the login as refused.
 */
export async function loginWithPassword(baseUrl: string, realm: string, username: string, password: string, newPassword: string): Promise<LoginOutcome> {
  const issuer = `${baseUrl}/realms/${realm}`;
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${issuer}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: SHELL_CLIENT_ID,
    response_type: 'code',
    redirect_uri: SUITE_REDIRECT,
    scope: 'openid',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString();
  let next = auth.href;
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  let credentialsSent = false;
  for (let hop = 0; hop < 15; hop++) {
    if (next.startsWith(SUITE_REDIRECT)) break;
    const res = await fetch(next, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    jar.store(res);
    const here = next;
    method = 'GET';
    body = undefined;
    if (res.status >= 300 && res.status < 400) {
      next = new URL(res.headers.get('location')!, here).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    if (res.status === 200 && action && /name="password-new"/.test(html)) {
      body = new URLSearchParams({ ...hiddenInputs(html), 'password-new': newPassword, 'password-confirm': newPassword });
    } else if (res.status === 200 && action && /name="password"/.test(html) && !credentialsSent) {
      body = new URLSearchParams({ ...hiddenInputs(html), username, password });
      credentialsSent = true;
    } else {
      return { refusedPage: html };
    }
    next = new URL(action, here).href;
    method = 'POST';
  }
  const code = new URL(next).searchParams.get('code');
  if (!code) return { refusedPage: `no code in ${next}` };
  const tokenRes = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: SUITE_REDIRECT, client_id: SHELL_CLIENT_ID, code_verifier: verifier }),
  });
  const json = (await tokenRes.json()) as { access_token?: string };
  if (tokenRes.status !== 200 || !json.access_token) return { refusedPage: `token endpoint ${tokenRes.status} ${JSON.stringify(json)}` };
  return { accessToken: json.access_token };
}

/** Registers the IdentityAdmin contract tests against the server `env()` describes. */
export function identityAdminContract(name: string, env: () => IdentityAdminContractEnv): void {
  describe(name, () => {
    const spec = suiteSpec();
    const { realm } = spec;

    it('ensureTenantRealm creates the realm, its roles, both clients and the first admin', async () => {
      const { admin, label } = env();
      expect(await admin.realmExists(realm)).toBe(false);
      const started = performance.now();
      const { result, error, log } = await recordFetch(() => admin.ensureTenantRealm(spec));
      const ms = performance.now() - started;
      expect(error).toBeUndefined();
      console.log(`[${label}] first ensureTenantRealm: ${log.calls.length} HTTP calls, ${ms.toFixed(0)} ms`);
      expect(result).toEqual({
        realmCreated: true,
        rolesCreated: [...TENANT_REALM_ROLES],
        clientsCreated: [SHELL_CLIENT_ID, API_CLIENT_ID],
        firstAdminCreated: true,
        repaired: [],
      });
      expect(await admin.realmExists(realm)).toBe(true);

      const kcRealm = await admin.kc.realms.findOne({ realm });
      expect(kcRealm).toMatchObject({ realm, enabled: true, displayName: spec.displayName });
      const roleNames = (await admin.kc.roles.find({ realm })).map((r) => r.name);
      expect(roleNames).toEqual(expect.arrayContaining([...TENANT_REALM_ROLES]));

      const [shell] = await admin.kc.clients.find({ realm, clientId: SHELL_CLIENT_ID });
      expect(shell).toMatchObject({
        clientId: SHELL_CLIENT_ID,
        publicClient: true,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        redirectUris: spec.shellRedirectUris,
        webOrigins: spec.shellWebOrigins,
      });
      expect(shell!.attributes?.['pkce.code.challenge.method']).toBe('S256');
      const [api] = await admin.kc.clients.find({ realm, clientId: API_CLIENT_ID });
      expect(api).toMatchObject({ clientId: API_CLIENT_ID, publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
      expect(await admin.getClientSecret(realm, API_CLIENT_ID)).toBe(spec.apiClientSecret);

      const users = await admin.listUsers(realm);
      expect(users).toHaveLength(1); // the service account is not listed
      expect(users[0]).toMatchObject({
        username: 'first.admin',
        email: spec.firstAdmin.email,
        firstName: 'Ana',
        lastName: 'Pop',
        enabled: true,
        roles: ['tenant-admin'],
        requiredActions: ['UPDATE_PASSWORD'],
      });
      expect(await admin.getUser(realm, users[0]!.id)).toEqual(users[0]);
    });

    it('a second ensureTenantRealm changes nothing', async () => {
      const { admin, label } = env();
      const before = await admin.listUsers(realm);
      const started = performance.now();
      const { result, error, log } = await recordFetch(() => admin.ensureTenantRealm({ ...spec, apiClientSecret: 'another-secret', displayName: 'Renamed' }));
      console.log(`[${label}] second ensureTenantRealm: ${log.calls.length} HTTP calls, ${(performance.now() - started).toFixed(0)} ms`);
      expect(error).toBeUndefined();
      expect(result).toEqual({ realmCreated: false, rolesCreated: [], clientsCreated: [], firstAdminCreated: false, repaired: [] });
      expect(log.calls.filter((c) => !c.startsWith('GET '))).toEqual([]); // reads only
      expect(await admin.listUsers(realm)).toEqual(before);
      expect(await admin.getClientSecret(realm, API_CLIENT_ID)).toBe(spec.apiClientSecret);
      expect((await admin.kc.realms.findOne({ realm }))?.displayName).toBe(spec.displayName);
    });

    it('a cetate-api client credentials token carries aud cetate-api and realm_access.roles, and verifies', async () => {
      const { baseUrl } = env();
      const token = await new ClientCredentialsTokenSource({
        tokenUrl: `${baseUrl}/realms/${realm}/protocol/openid-connect/token`,
        clientId: API_CLIENT_ID,
        clientSecret: spec.apiClientSecret!,
      }).getToken();
      const principal = await new RealmTokenVerifier({ issuerBaseUrl: baseUrl, audience: API_CLIENT_ID }).verify(token);
      expect(principal).toMatchObject({ realm, clientId: API_CLIENT_ID, serviceAccount: true });
      expect(principal.roles).toContain('accountant');
      expect(principal.roles).not.toContain('tenant-admin');
    });

    it('inviteUser: listed with its roles and UPDATE_PASSWORD; 409 on a taken username or email', async () => {
      const { admin } = env();
      const invited = await admin.inviteUser(realm, {
        username: 'Ion.Contabil',
        email: `ion@${realm}.example`,
        firstName: 'Ion',
        roles: ['user', 'accountant'],
        temporaryPassword: 'Invite-pass-1',
      });
      expect(invited).toMatchObject({ username: 'ion.contabil', enabled: true, roles: ['accountant', 'user'], requiredActions: ['UPDATE_PASSWORD'] });
      expect(invited.id).toBeTruthy();
      const listed = await admin.listUsers(realm);
      expect(listed.map((u) => u.username)).toEqual(['first.admin', 'ion.contabil']);
      expect(listed[1]).toEqual(invited);
      expect(await admin.listUsers(realm, { first: 1, max: 1 })).toEqual([invited]);

      for (const dup of [
        { username: 'ion.contabil', email: `other@${realm}.example` },
        { username: 'someone.else', email: `ion@${realm}.example` },
      ]) {
        const err = await admin.inviteUser(realm, { ...dup, roles: ['user'], temporaryPassword: 'x-Pass-12345' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(IdentityAdminError);
        expect(err).toMatchObject({ status: 409, code: 'IDENTITY_ADMIN_FAILED' });
      }
      expect(await admin.listUsers(realm)).toHaveLength(2);
    });

    it('a disabled user cannot get a token; enabled again, he can', async () => {
      const { admin, baseUrl } = env();
      const user = await admin.inviteUser(realm, {
        username: 'maria',
        email: `maria@${realm}.example`,
        // names given: Keycloak's default user profile would otherwise ask for them at login (VERIFY_PROFILE)
        firstName: 'Maria',
        lastName: 'Ionescu',
        roles: ['user'],
        temporaryPassword: 'Maria-temp-1',
      });
      const first = await loginWithPassword(baseUrl, realm, 'maria', 'Maria-temp-1', 'Maria-new-pass-1');
      expect(first, JSON.stringify(first).slice(0, 500)).toHaveProperty('accessToken');
      const p = await new RealmTokenVerifier({ issuerBaseUrl: baseUrl }).verify((first as { accessToken: string }).accessToken);
      expect(p).toMatchObject({ realm, subject: user.id, username: 'maria' });
      expect(p.roles).toContain('user');

      const disabled = await admin.setUserEnabled(realm, user.id, false);
      expect(disabled).toMatchObject({ id: user.id, enabled: false, email: `maria@${realm}.example` });
      expect((await admin.getUser(realm, user.id)).enabled).toBe(false);
      // After the first login the password is whichever the server kept: the new one if it asked for it.
      for (const password of ['Maria-new-pass-1', 'Maria-temp-1']) {
        expect(await loginWithPassword(baseUrl, realm, 'maria', password, 'Maria-new-pass-2')).toHaveProperty('refusedPage');
      }
      await admin.setUserEnabled(realm, user.id, true);
      const again = await Promise.all(['Maria-new-pass-1', 'Maria-temp-1'].map((pw) => loginWithPassword(baseUrl, realm, 'maria', pw, 'Maria-new-pass-2')));
      expect(again.some((o) => 'accessToken' in o)).toBe(true);
    });

    it('setUserRoles adds and removes realm role mappings', async () => {
      const { admin } = env();
      const u = await admin.inviteUser(realm, { username: 'radu', email: `radu@${realm}.example`, roles: ['user'], temporaryPassword: 'Radu-temp-1' });
      expect((await admin.setUserRoles(realm, u.id, ['accountant', 'privacy-officer'])).roles).toEqual(['accountant', 'privacy-officer']);
      expect((await admin.getUser(realm, u.id)).roles).toEqual(['accountant', 'privacy-officer']);
      expect((await admin.setUserRoles(realm, u.id, ['privacy-officer', 'tenant-admin'])).roles).toEqual(['privacy-officer', 'tenant-admin']);
      expect((await admin.setUserRoles(realm, u.id, [])).roles).toEqual([]);
      await expect(admin.setUserRoles(realm, '00000000-0000-4000-8000-000000000000', ['user'])).rejects.toMatchObject({ status: 404 });
      await expect(admin.getUser(realm, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ status: 404 });
      await expect(admin.getClientSecret(realm, 'no-such-client')).rejects.toMatchObject({ status: 404 });
      await expect(admin.listUsers('no-such-realm-x')).rejects.toMatchObject({ status: 404 });
    });

    it('deleteRealm removes it (realmExists false); a second delete answers false', async () => {
      const { admin } = env();
      expect(await admin.deleteRealm(realm)).toBe(true);
      expect(await admin.realmExists(realm)).toBe(false);
      expect(await admin.deleteRealm(realm)).toBe(false);
    });

    it('ensureTenantRealm finishes a run interrupted after any of its calls', async () => {
      const { admin, label } = env();
      const probe = suiteSpec();
      const full = await recordFetch(() => admin.ensureTenantRealm(probe));
      expect(full.error).toBeUndefined();
      const total = full.log.calls.length;
      await admin.deleteRealm(probe.realm);
      const started = performance.now();
      for (let n = 1; n <= total; n++) {
        const s = suiteSpec();
        const broken = await recordFetch(() => admin.ensureTenantRealm(s), n);
        expect(broken.error, `crash after call ${n}: ${broken.log.calls.join(', ')}`).toBeInstanceOf(IdentityAdminError);
        expect((broken.error as IdentityAdminError).status).toBe(502);
        const resumed = await admin.ensureTenantRealm(s);
        expect(resumed.realmCreated || n >= 2).toBe(true);
        // Whatever the interruption, the realm is now complete ...
        expect((await admin.kc.roles.find({ realm: s.realm })).map((r) => r.name)).toEqual(expect.arrayContaining([...TENANT_REALM_ROLES]));
        expect(await admin.getClientSecret(s.realm, API_CLIENT_ID)).toBe(s.apiClientSecret);
        expect((await admin.kc.clients.find({ realm: s.realm, clientId: SHELL_CLIENT_ID })).length).toBe(1);
        const [api] = await admin.kc.clients.find({ realm: s.realm, clientId: API_CLIENT_ID });
        const sa = await admin.kc.clients.getServiceAccountUser({ realm: s.realm, id: api!.id! });
        expect((await admin.kc.users.listRealmRoleMappings({ realm: s.realm, id: sa.id! })).map((r) => r.name)).toContain('accountant');
        const users = await admin.listUsers(s.realm);
        expect(users, `crash after call ${n}`).toHaveLength(1);
        expect(users[0]).toMatchObject({ username: 'first.admin', roles: ['tenant-admin'], requiredActions: ['UPDATE_PASSWORD'] });
        // ... and a third run has nothing left to do.
        expect(await admin.ensureTenantRealm(s)).toEqual({ realmCreated: false, rolesCreated: [], clientsCreated: [], firstAdminCreated: false, repaired: [] });
        await admin.deleteRealm(s.realm);
      }
      console.log(`[${label}] interrupted after each of ${total} calls and resumed: ${(performance.now() - started).toFixed(0)} ms in all`);
    }, 300_000);
  });
}
