/**
 * What keycloak-js does from the shell at `http://demo.localhost:8080` against the dev identity server, with plain
 * fetch: `/auth` (authorization code + PKCE S256, `login-required`) → Keycloak's login form (ids `username`,
 * `password`, `kc-login`) → code on the redirect URI → token and refresh calls sent cross-origin with an `Origin`
 * header (CORS answered for the client's web origins `+`, refused for another origin), `prompt=none`
 * (`check-sso`) with and without a session; and the seed topping up an identity database seeded before the
 * gateway existed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { loadSeedFile, startDevIdentity, type DevIdentityServer, type RealmSeed } from './index.js';
import { webOriginAllowed } from './realm.js';

const SHELL = 'http://demo.localhost:8080';
const REDIRECT = `${SHELL}/facturi`;

let db: TestDatabase;
let idp: DevIdentityServer;
let seed: RealmSeed[];

/** The seed as it was before the gateway: `cetate-shell` with the :4200 redirect URIs only and no web origins. */
function oldSeed(realms: RealmSeed[]): RealmSeed[] {
  return realms.map((r) => ({
    ...r,
    clients: r.clients.map((c) => (c.clientId === 'cetate-shell' ? { ...c, redirectUris: ['http://127.0.0.1:4200/*', 'http://localhost:4200/*'], webOrigins: undefined } : c)),
  }));
}

beforeAll(async () => {
  seed = await loadSeedFile();
  db = await createTestDatabase('cetate_test_identity');
  // First start with the old seed, then restart on the same database with today's seed.
  const old = await startDevIdentity({ port: 0, realms: oldSeed(seed), databaseUrl: db.url });
  await old.close();
  idp = await startDevIdentity({ port: 0, realms: seed, databaseUrl: db.url });
});

afterAll(async () => {
  await idp?.close();
  await db?.drop();
});

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      if (/expires=Thu, 01 Jan 1970/i.test(c) || pair.slice(i + 1) === '') this.cookies.delete(pair.slice(0, i));
      else this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function authUrl(realm: string, verifier: string, extra: Record<string, string> = {}, redirect = REDIRECT): string {
  const u = new URL(`${idp.issuer(realm)}/protocol/openid-connect/auth`);
  u.search = new URLSearchParams({
    client_id: 'cetate-shell',
    redirect_uri: redirect,
    response_type: 'code',
    response_mode: 'fragment',
    scope: 'openid',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return u.toString();
}

/** Browser navigation (no Origin on a top-level GET), following the provider's own redirects until `stopAt`. */
async function navigate(jar: Jar, url: string, init: RequestInit = {}, stopAt = SHELL): Promise<{ res: Response; location?: string }> {
  let res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
  jar.take(res);
  for (let i = 0; i < 6; i++) {
    const loc = res.headers.get('location');
    if (!loc) return { res };
    const abs = new URL(loc, url).toString();
    if (abs.startsWith(stopAt)) return { res, location: abs };
    res = await fetch(abs, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    url = abs;
  }
  return { res };
}

/** `response_mode=fragment`: keycloak-js reads `code` from the URL fragment. */
const fragment = (location: string) => new URLSearchParams(new URL(location).hash.slice(1));

async function loginAtForm(realm: string, jar: Jar, verifier: string, username: string, password: string, redirect = REDIRECT): Promise<string> {
  const first = await navigate(jar, authUrl(realm, verifier, {}, redirect));
  expect(first.res.status).toBe(200);
  const page = await first.res.text();
  expect(page).toMatch(/<input[^>]*id="username"/);
  expect(page).toMatch(/<input[^>]*id="password"/);
  expect(page).toMatch(/<button[^>]*id="kc-login"/);
  const action = /<form[^>]*action="([^"]+)"/.exec(page)![1]!.replaceAll('&amp;', '&');
  const done = await navigate(jar, new URL(action, idp.url).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  }, new URL(redirect).origin);
  expect(done.location, 'redirect back to the shell with a code').toBeDefined();
  return fragment(done.location!).get('code')!;
}

/** keycloak-js' token call: a cross-origin `fetch`/XHR POST, form-encoded (a CORS "simple" request). */
function tokenCall(realm: string, form: Record<string, string>, origin = SHELL): Promise<Response> {
  return fetch(`${idp.issuer(realm)}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('browser login of the shell (keycloak-js: login-required, PKCE S256, checkLoginIframe false)', () => {
  let refreshToken = '';
  const jar = new Jar();

  it('logs ana.contabil in at demo.localhost:8080 and answers the cross-origin token call with CORS', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await loginAtForm('demo', jar, verifier, 'ana.contabil', 'demo-accountant-1');
    const res = await tokenCall('demo', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'cetate-shell', code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHELL);
    // keycloak-js 26 fetches the token with credentials: 'include': the browser needs this header too.
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await res.json()) as { access_token: string; refresh_token: string; id_token: string };
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ preferred_username: 'ana.contabil', azp: 'cetate-shell', realm_access: { roles: expect.arrayContaining(['accountant', 'user']) } });
    expect(body.id_token).toBeTruthy();
    refreshToken = body.refresh_token;
    // keycloak-js decodes the refresh token (refreshTokenParsed): a JWT like Keycloak's, typ Refresh.
    const rt = JSON.parse(Buffer.from(refreshToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(rt).toMatchObject({ typ: 'Refresh', iss: idp.issuer('demo'), azp: 'cetate-shell', sub: claims.sub });
    expect(Number(rt.exp) - Number(rt.iat)).toBe(1800);
  });

  it('answers the CORS preflight of the token endpoint for the shell origin', async () => {
    const res = await fetch(`${idp.issuer('demo')}/protocol/openid-connect/token`, {
      method: 'OPTIONS',
      headers: { origin: SHELL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHELL);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('refreshes cross-origin (updateToken) with CORS, and serves the JWKS (certs) cross-origin', async () => {
    const res = await tokenCall('demo', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'cetate-shell' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHELL);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const refreshed = (await res.json()) as { access_token?: string; refresh_token?: string };
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.refresh_token?.split('.')).toHaveLength(3);
    const certs = await fetch(`${idp.issuer('demo')}/protocol/openid-connect/certs`, { headers: { origin: SHELL } });
    expect(certs.status).toBe(200);
    expect(certs.headers.get('access-control-allow-origin')).toBe(SHELL);
  });

  it('refuses the token call from an origin that is not a web origin of cetate-shell (no CORS header)', async () => {
    const res = await tokenCall('demo', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'cetate-shell' }, 'http://evil.localhost:8080');
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('check-sso (prompt=none): a code with the session, login_required without one', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const withSession = await navigate(jar, authUrl('demo', verifier, { prompt: 'none' }));
    expect(withSession.location).toBeDefined();
    const code = fragment(withSession.location!).get('code');
    expect(code).toBeTruthy();
    const res = await tokenCall('demo', { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, client_id: 'cetate-shell', code_verifier: verifier });
    expect(res.status).toBe(200);

    const anonymous = await navigate(new Jar(), authUrl('demo', verifier, { prompt: 'none' }));
    expect(anonymous.location).toBeDefined();
    expect(fragment(anonymous.location!).get('error')).toBe('login_required');
  });

  it('logs the operator in at platform.localhost:8080 (realm platform)', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const redirect = 'http://platform.localhost:8080/';
    const code = await loginAtForm('platform', new Jar(), verifier, 'operator', 'platform-op-1', redirect);
    const res = await tokenCall('platform', { grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: 'cetate-shell', code_verifier: verifier }, 'http://platform.localhost:8080');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://platform.localhost:8080');
  });

  it('refuses a redirect URI outside the client (demo realm does not accept platform.localhost)', async () => {
    const r = await navigate(new Jar(), authUrl('demo', 'x'.repeat(43), {}, 'http://platform.localhost:8080/'));
    expect(r.location).toBeUndefined();
    expect(r.res.status).toBe(400);
  });
});

describe('webOriginAllowed (Keycloak web origins)', () => {
  it('reads + as the redirect URIs origins, * as any, else exact origins; empty allows none', () => {
    const redirects = ['http://demo.localhost:8080/*', 'http://127.0.0.1:4200/cb'];
    expect(webOriginAllowed(['+'], redirects, 'http://demo.localhost:8080')).toBe(true);
    expect(webOriginAllowed(['+'], redirects, 'http://127.0.0.1:4200')).toBe(true);
    expect(webOriginAllowed(['+'], redirects, 'http://demo.localhost:8081')).toBe(false);
    expect(webOriginAllowed(['https://app.example'], redirects, 'https://app.example')).toBe(true);
    expect(webOriginAllowed(['*'], [], 'https://any.example')).toBe(true);
    expect(webOriginAllowed([], redirects, 'http://demo.localhost:8080')).toBe(false);
    expect(webOriginAllowed(['*'], redirects, 'null')).toBe(false);
  });
});
