import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Inject, Module, Req } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only dependency on a tool: the real dev identity server runs in-process as the IdP under test.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadSeedFile, startDevIdentity, type DevIdentityServer, type RealmSeed } from '@cetate/dev-identity';
import { ProblemDetailsFilter } from '@cetate/platform-observability';
import {
  AuthenticationError,
  ClientCredentialsTokenSource,
  ForbiddenError,
  IdentityProviderUnavailableError,
  Public,
  RealmAuthModule,
  RealmTokenVerifier,
  Roles,
  TokenRequestError,
  authenticateRequest,
  resolveTenantForPrincipal,
  type AuthenticatedHttpRequest,
  type RealmTenantResolver,
} from './index.js';

/** Tenant registry stand-in: realm <slug> belongs to tenant <slug>; realm `orphan` to none. */
const resolver: RealmTenantResolver = {
  async tenantForRealm(realm) {
    return ['demo', 'other', 'short'].includes(realm) ? { slug: realm } : null;
  },
};

const serviceRealm = (realm: string, extra: Partial<RealmSeed> = {}): RealmSeed => ({
  realm,
  clients: [{ clientId: 'svc', clientSecret: 'svc-secret', grants: ['client_credentials'], serviceAccountRoles: ['accountant'] }],
  users: [],
  ...extra,
});

let idp: DevIdentityServer;
let verifier: RealmTokenVerifier;

async function clientToken(realm: string, clientId: string, secret: string): Promise<string> {
  return new ClientCredentialsTokenSource({ tokenUrl: idp.tokenUrl(realm), clientId, clientSecret: secret }).getToken();
}

/** Minimal cookie jar: name -> value, ignoring paths (all cookies come from one dev host). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const REDIRECT_URI = 'http://127.0.0.1:4200/callback';

/**
 * Drives authorization code + PKCE (RFC 6749 §4.1, RFC 7636 S256) with plain fetch:
 * GET auth -> login form -> POST credentials -> (consent, if any) -> redirect with code -> token.
 */
async function authorizationCodeFlow(realm: string, username: string, password: string) {
  const jar = new CookieJar();
  const codeVerifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const auth = new URL(`${idp.issuer(realm)}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: 'cetate-shell',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();

  let next: string = auth.href;
  let sawLoginForm = false;
  let sawWrongPassword = false;
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(REDIRECT_URI)) break;
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      next = new URL(res.headers.get('location')!, next).href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('kc-form-login');
    sawLoginForm = true;
    const action = new URL(/action="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&'), next).href;
    if (!sawWrongPassword) {
      const bad = await fetch(action, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: `${password}-wrong` }),
      });
      expect(bad.status).toBe(200);
      expect(await bad.text()).toContain('Invalid username or password');
      sawWrongPassword = true;
    }
    const post = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }),
    });
    jar.store(post);
    expect(post.status).toBe(303);
    next = new URL(post.headers.get('location')!, action).href;
  }
  expect(sawLoginForm).toBe(true);
  const cb = new URL(next);
  expect(cb.origin + cb.pathname).toBe(REDIRECT_URI);
  expect(cb.searchParams.get('state')).toBe(state);
  expect(cb.searchParams.get('iss')).toBe(idp.issuer(realm));
  const code = cb.searchParams.get('code');
  expect(code).toBeTruthy();

  const tokenRequest = (verifierValue?: string) =>
    fetch(idp.tokenUrl(realm), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: REDIRECT_URI,
        client_id: 'cetate-shell',
        ...(verifierValue ? { code_verifier: verifierValue } : {}),
      }),
    });
  return { tokenRequest, codeVerifier };
}

async function forge(claims: Record<string, unknown>, opts: { kid?: string; exp?: number } = {}): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...(opts.kid ? { kid: opts.kid } : {}) })
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(privateKey);
}

beforeAll(async () => {
  const seed = await loadSeedFile();
  idp = await startDevIdentity({
    port: 0,
    realms: [...seed, serviceRealm('other'), serviceRealm('short', { accessTokenTtlSec: 2 }), serviceRealm('orphan')],
  });
  verifier = new RealmTokenVerifier({ issuerBaseUrl: idp.url });
});

afterAll(async () => {
  await idp?.close();
});

describe('RealmTokenVerifier against the dev identity server', () => {
  it('verifies a client_credentials token of realm demo with role accountant', async () => {
    const token = await clientToken('demo', 'cetate-api', 'cetate-api-secret');
    const p = await verifier.verify(token);
    expect(p.realm).toBe('demo');
    expect(p.clientId).toBe('cetate-api');
    expect(p.serviceAccount).toBe(true);
    expect(p.username).toBeUndefined();
    expect(p.roles).toEqual(['accountant']);
    expect(p.token.iss).toBe(`${idp.url}/realms/demo`);
    expect(p.token.aud).toBe('cetate-api');
  });

  it('runs authorization code + PKCE and verifies the user token with its roles', async () => {
    const { tokenRequest, codeVerifier } = await authorizationCodeFlow('demo', 'ana.contabil', 'demo-accountant-1');
    const res = await tokenRequest(codeVerifier);
    const body = (await res.json()) as { access_token: string; id_token: string; refresh_token?: string; token_type: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.token_type).toBe('Bearer');
    const p = await verifier.verify(body.access_token);
    expect(p).toMatchObject({ realm: 'demo', clientId: 'cetate-shell', username: 'ana.contabil', serviceAccount: false });
    expect(p.roles.sort()).toEqual(['accountant', 'user']);
    expect(p.subject).toMatch(/^[0-9a-f-]{36}$/);

    // The ID token is not an access token.
    await expect(verifier.verify(body.id_token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN', reason: 'token-type' });

    // Keycloak-style userinfo accepts the JWT access token.
    const ui = await fetch(`${idp.issuer('demo')}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(ui.status).toBe(200);
    expect(await ui.json()).toMatchObject({ sub: p.subject, preferred_username: 'ana.contabil' });

    // Refresh token (grant allowed for cetate-shell) yields another verifiable access token.
    expect(body.refresh_token).toBeTruthy();
    // Storage is per realm: realm platform (which also has a client cetate-shell) does not know it.
    const cross = await fetch(idp.tokenUrl('platform'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: body.refresh_token!, client_id: 'cetate-shell' }),
    });
    expect(cross.status).toBe(400);
    expect(((await cross.json()) as { error: string }).error).toBe('invalid_grant');
    const refreshed = await fetch(idp.tokenUrl('demo'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: body.refresh_token!, client_id: 'cetate-shell' }),
    });
    const rb = (await refreshed.json()) as { access_token: string };
    expect(refreshed.status, JSON.stringify(rb)).toBe(200);
    expect((await verifier.verify(rb.access_token)).username).toBe('ana.contabil');
  });

  it('refuses the code without the PKCE code_verifier (RFC 7636 §4.6)', async () => {
    const { tokenRequest } = await authorizationCodeFlow('platform', 'operator', 'platform-op-1');
    const res = await tokenRequest();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('maps a token of realm other presented for tenant demo to ForbiddenError', async () => {
    const p = await verifier.verify(await clientToken('other', 'svc', 'svc-secret'));
    expect(p.realm).toBe('other');
    await expect(resolveTenantForPrincipal(p, resolver, 'demo')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resolveTenantForPrincipal(p, resolver, 'other')).resolves.toEqual({ slug: 'other' });
    const orphan = await verifier.verify(await clientToken('orphan', 'svc', 'svc-secret'));
    await expect(resolveTenantForPrincipal(orphan, resolver)).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN', status: 403 });
  });

  it('rejects tokens signed by a key not in the realm JWKS (same kid or unknown kid)', async () => {
    const certs = (await (await fetch(`${idp.issuer('demo')}/protocol/openid-connect/certs`)).json()) as { keys: JWK[] };
    const claims = { iss: idp.issuer('demo'), sub: 'attacker', typ: 'Bearer', azp: 'cetate-api', realm_access: { roles: ['tenant-admin'] } };
    for (const kid of [certs.keys[0]!.kid!, 'unknown-kid']) {
      const err = await verifier.verify(await forge(claims, { kid })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as AuthenticationError).reason).toBe('signature');
      expect((err as AuthenticationError).status).toBe(401);
    }
  });

  it('rejects a token whose issuer is not <base>/realms/<realm> exactly, or an unknown realm', async () => {
    for (const iss of ['http://evil.example/realms/demo', `${idp.url}/realms/demo/`, `${idp.url}/realms/demo/../other`, `${idp.url}/realms/%64emo`]) {
      await expect(verifier.verify(await forge({ iss, sub: 'x', typ: 'Bearer' }))).rejects.toMatchObject({ reason: 'issuer' });
    }
    await expect(verifier.verify(await forge({ iss: idp.issuer('ghost'), sub: 'x', typ: 'Bearer' }))).rejects.toMatchObject({
      code: 'AUTH_INVALID_TOKEN',
      reason: 'issuer',
    });
  });

  it('rejects an expired token', async () => {
    // 2 s lifetime: exp = iat + 2 (whole seconds), so the first check has at least 1 s of validity left and
    // after 3.1 s the clock is past exp whatever the sub-second phase at issue time.
    const token = await clientToken('short', 'svc', 'svc-secret');
    await expect(verifier.verify(token)).resolves.toMatchObject({ realm: 'short' });
    await new Promise((r) => setTimeout(r, 3100));
    const err = await verifier.verify(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).reason).toBe('expired');
  });

  it('rejects alg none and HS256 (also HS256 keyed with the realm public key)', async () => {
    const real = await clientToken('demo', 'cetate-api', 'cetate-api-secret');
    const payload = real.split('.')[1]!;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    await expect(verifier.verify(none)).rejects.toMatchObject({ reason: 'algorithm' });

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(randomBytes(32));
    await expect(verifier.verify(hs)).rejects.toMatchObject({ reason: 'algorithm' });

    const certs = (await (await fetch(`${idp.issuer('demo')}/protocol/openid-connect/certs`)).json()) as { keys: JWK[] };
    const confusion = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: certs.keys[0]!.kid! })
      .sign(new TextEncoder().encode(JSON.stringify(certs.keys[0])));
    await expect(verifier.verify(confusion)).rejects.toBeInstanceOf(AuthenticationError);

    await expect(verifier.verify('not-a-jwt')).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('checks the audience when configured', async () => {
    const token = await clientToken('demo', 'cetate-api', 'cetate-api-secret');
    await expect(new RealmTokenVerifier({ issuerBaseUrl: idp.url, audience: 'cetate-api' }).verify(token)).resolves.toBeTruthy();
    await expect(new RealmTokenVerifier({ issuerBaseUrl: idp.url, audience: 'other-api' }).verify(token)).rejects.toMatchObject({
      reason: 'audience',
    });
  });

  it('authenticateRequest: bearer parsing, tenant and role checks', async () => {
    const token = await clientToken('demo', 'cetate-api', 'cetate-api-secret');
    await expect(authenticateRequest({ authorization: undefined }, verifier, resolver)).rejects.toMatchObject({ reason: 'missing' });
    await expect(authenticateRequest({ authorization: `Basic ${token}` }, verifier, resolver)).rejects.toMatchObject({ reason: 'malformed' });
    const ok = await authenticateRequest({ authorization: `bearer ${token}`, routeTenant: 'demo', anyOfRoles: ['accountant'] }, verifier, resolver);
    expect(ok.tenant).toEqual({ slug: 'demo' });
    await expect(
      authenticateRequest({ authorization: `Bearer ${token}`, routeTenant: 'demo', anyOfRoles: ['tenant-admin'] }, verifier, resolver),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

/**
 * A tiny stand-in identity server: serves one key's JWKS at `/realms/<realm>/protocol/openid-connect/certs`
 * with a settable status, and counts every request it receives.
 */
async function startJwksServer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const state = { status: 200, requests: [] as string[] };
  const server: Server = createServer((req, res) => {
    state.requests.push(req.url ?? '');
    if (!/^\/realms\/[^/]+\/protocol\/openid-connect\/certs$/.test(req.url ?? '') || state.status !== 200) {
      res.writeHead(state.status === 200 ? 404 : state.status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (realm: string) =>
    new SignJWT({ iss: `${url}/realms/${realm}`, sub: 'u1', typ: 'Bearer' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  return { url, state, sign, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('RealmTokenVerifier: known realms, JWKS failures, negative cache', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  beforeAll(async () => {
    jwks = await startJwksServer();
  });
  afterAll(async () => {
    await jwks?.close();
  });

  it('refuses a realm isKnownRealm denies without any request to the identity server', async () => {
    const asked: string[] = [];
    const v = new RealmTokenVerifier({
      issuerBaseUrl: jwks.url,
      isKnownRealm: async (realm) => {
        asked.push(realm);
        return realm === 'acme';
      },
    });
    jwks.state.requests.length = 0;
    for (const realm of ['ghost-1', 'ghost-2', 'ghost-3']) {
      const err = await v.verify(await jwks.sign(realm)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as AuthenticationError).reason).toBe('issuer');
    }
    expect(jwks.state.requests).toEqual([]);
    expect(v.cachedRealmCount).toBe(0);
    expect(asked).toEqual(['ghost-1', 'ghost-2', 'ghost-3']);

    await expect(v.verify(await jwks.sign('acme'))).resolves.toMatchObject({ realm: 'acme', subject: 'u1' });
    expect(jwks.state.requests).toEqual(['/realms/acme/protocol/openid-connect/certs']);
    expect(v.cachedRealmCount).toBe(1);

    // A failing lookup (e.g. the platform DB is down) is passed through, not turned into a 401.
    const down = new RealmTokenVerifier({ issuerBaseUrl: jwks.url, isKnownRealm: () => Promise.reject(new Error('registry down')) });
    await expect(down.verify(await jwks.sign('acme'))).rejects.toThrow('registry down');
    expect(jwks.state.requests).toHaveLength(1);
  });

  it('maps a JWKS answered 500 to IdentityProviderUnavailableError (503), negative-cached for jwksFailureTtlMs', async () => {
    const v = new RealmTokenVerifier({ issuerBaseUrl: jwks.url, jwksFailureTtlMs: 400 });
    jwks.state.requests.length = 0;
    jwks.state.status = 500;
    try {
      const token = await jwks.sign('acme');
      const err = await v.verify(token).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IdentityProviderUnavailableError);
      expect(err).toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE', status: 503 });
      expect(jwks.state.requests).toHaveLength(1);

      // within the TTL: same answer, no new request
      await expect(v.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
      expect(jwks.state.requests).toHaveLength(1);

      jwks.state.status = 200;
      await new Promise((r) => setTimeout(r, 500));
      await expect(v.verify(token)).resolves.toMatchObject({ realm: 'acme' });
      expect(jwks.state.requests).toHaveLength(2);
    } finally {
      jwks.state.status = 200;
    }
  });

  it('maps a JWKS answered 404 (realm does not exist) to 401 issuer, and an unreachable server to 503', async () => {
    const v = new RealmTokenVerifier({ issuerBaseUrl: jwks.url });
    jwks.state.requests.length = 0;
    jwks.state.status = 404;
    try {
      const token = await jwks.sign('gone');
      await expect(v.verify(token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN', reason: 'issuer' });
      await expect(v.verify(token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN', reason: 'issuer' });
      expect(jwks.state.requests).toHaveLength(1);
      expect(v.cachedRealmCount).toBe(0);
    } finally {
      jwks.state.status = 200;
    }

    const closed = await startJwksServer();
    await closed.close();
    const unreachable = new RealmTokenVerifier({ issuerBaseUrl: closed.url });
    await expect(unreachable.verify(await closed.sign('acme'))).rejects.toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE', status: 503 });
  });
});

describe('ClientCredentialsTokenSource', () => {
  it('caches until shortly before expiry, then renews', async () => {
    let now = Date.now();
    const source = new ClientCredentialsTokenSource({
      tokenUrl: idp.tokenUrl('demo'),
      clientId: 'cetate-api',
      clientSecret: 'cetate-api-secret',
      refreshSkewSec: 30,
      now: () => now,
    });
    const [a, b] = await Promise.all([source.getToken(), source.getToken()]);
    expect(a).toBe(b);
    now += 200_000; // 200 s of 300 s: still cached
    expect(await source.getToken()).toBe(a);
    now += 71_000; // 271 s > 300 - 30: renewed
    const c = await source.getToken();
    expect(c).not.toBe(a);
    expect((await verifier.verify(c)).clientId).toBe('cetate-api');
  });

  it('fails with TokenRequestError invalid_client on a wrong secret', async () => {
    const source = new ClientCredentialsTokenSource({ tokenUrl: idp.tokenUrl('demo'), clientId: 'cetate-api', clientSecret: 'nope' });
    const err = await source.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRequestError);
    expect(err).toMatchObject({ httpStatus: 401, oauthError: 'invalid_client' });
  });
});

// ---- NestJS: global RealmAuthGuard, @Roles, @Public ----

const SEEN = Symbol('SEEN');

@Controller()
class ProbeController {
  constructor(@Inject(SEEN) private readonly seen: { count: number }) {}

  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Roles('accountant')
  @Get('t/:tenant/invoices')
  invoices(@Req() req: AuthenticatedHttpRequest) {
    this.seen.count++;
    return { tenant: req.tenant?.slug, realm: req.principal?.realm, client: req.principal?.clientId };
  }

  @Roles('tenant-admin')
  @Get('t/:tenant/users')
  users() {
    this.seen.count++;
    return { ok: true };
  }
}

describe('RealmAuthGuard in a NestJS app', () => {
  let app: INestApplication;
  let base: string;
  const seen = { count: 0 };

  beforeAll(async () => {
    @Module({
      imports: [RealmAuthModule.forRoot({ verifier: { issuerBaseUrl: idp.url }, tenantResolver: { useValue: resolver } })],
      controllers: [ProbeController],
      providers: [{ provide: SEEN, useValue: seen }, { provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string, token?: string) => fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers 401 problem+json without a token, 200 on @Public', async () => {
    const res = await get('/t/demo/invoices');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN', status: 401 });
    expect((await get('/health')).status).toBe(200);
  });

  it("answers 403 for another realm's token, 403 lacking the role, 200 with the right one", async () => {
    const before = seen.count;
    const other = await clientToken('other', 'svc', 'svc-secret');
    const r1 = await get('/t/demo/invoices', other);
    expect(r1.status).toBe(403);
    expect(await r1.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });

    const demo = await clientToken('demo', 'cetate-api', 'cetate-api-secret');
    const r2 = await get('/t/demo/users', demo);
    expect(r2.status).toBe(403);
    expect(seen.count).toBe(before);

    const r3 = await get('/t/demo/invoices', demo);
    expect(r3.status).toBe(200);
    expect(await r3.json()).toEqual({ tenant: 'demo', realm: 'demo', client: 'cetate-api' });
    expect(seen.count).toBe(before + 1);

    const forged = await forge({ iss: idp.issuer('demo'), sub: 'x', typ: 'Bearer', realm_access: { roles: ['accountant'] } });
    expect((await get('/t/demo/invoices', forged)).status).toBe(401);
  });
});
