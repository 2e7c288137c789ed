import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import type { Provider } from 'oidc-provider';
import { errorPage, loginPage } from './html.js';
import { createRealm, KEYCLOAK_ROUTES, LOGIN_ACTIONS_PATH, type Realm } from './realm.js';
import { REALM_NAME_PATTERN, type RealmSeed } from './realm-seed.js';

/** Options of {@link startDevIdentity}. */
export interface DevIdentityOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind and to put in issuer URLs; default `127.0.0.1`. */
  host?: string;
  /** Realms to create at start. */
  realms: RealmSeed[];
}

/** A running dev identity server (see {@link startDevIdentity}). */
export interface DevIdentityServer {
  /** Base URL, e.g. `http://127.0.0.1:8090` (what Keycloak clients call the server URL / `KEYCLOAK_URL`). */
  url: string;
  /** Issuer of a realm: `<url>/realms/<realm>` (Keycloak layout). */
  issuer(realm: string): string;
  /** Token endpoint of a realm: `<issuer>/protocol/openid-connect/token`. */
  tokenUrl(realm: string): string;
  /** Adds a realm at runtime; throws `Error` if it exists, `ZodError` if the seed is invalid. */
  addRealm(seed: RealmSeed): Promise<void>;
  /** Names of the realms served. */
  realmNames(): string[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form body too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(body), headers);
}

/** Auto-consent for a pending `consent` prompt (normally avoided by `loadExistingGrant`). */
async function finishConsent(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || !clientId) throw new Error('consent without session');
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Login interaction (`/realms/<realm>/login-actions/<uid>`): GET renders the form of the `login`
 * prompt, POST (`username`, `password`, form-urlencoded) checks the password and finishes the
 * interaction with a 303 back to the authorization endpoint (OIDC Core §3.1.2.3 authentication).
 * Wrong credentials re-render the form (200, `#input-error`), as Keycloak does.
 */
async function handleLogin(realm: Realm, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const { provider } = realm;
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    send(res, 400, 'text/html; charset=utf-8', errorPage('invalid_request', 'login session expired or not found; start again'));
    return;
  }
  if (details.prompt.name === 'consent') {
    await finishConsent(provider, req, res);
    return;
  }
  const clientId = String(details.params.client_id ?? '');
  if (req.method === 'GET') {
    send(res, 200, 'text/html; charset=utf-8', loginPage({ realm: realm.name, clientId, action: path }));
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, 'text/plain', 'method not allowed', { allow: 'GET, POST' });
    return;
  }
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const user = realm.authenticate(username, form.get('password') ?? '');
  if (!user) {
    send(res, 200, 'text/html; charset=utf-8', loginPage({ realm: realm.name, clientId, action: path, username, error: 'Invalid username or password.' }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
}

/**
 * UserInfo (OIDC Core §5.3) for the realm's JWT access tokens. oidc-provider only serves userinfo for
 * opaque audience-less tokens, while Keycloak accepts its JWT access tokens here, so the dev server
 * answers itself: verifies RS256 + `iss` + `exp` and returns the user's (or service account's) claims.
 */
async function handleUserinfo(realm: Realm, key: CryptoKey | KeyObject | Uint8Array, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization' };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST' });
    res.end();
    return;
  }
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(auth);
  const unauthorized = (desc: string) =>
    sendJson(res, 401, { error: 'invalid_token', error_description: desc }, { ...cors, 'www-authenticate': `Bearer realm="${realm.name}", error="invalid_token"` });
  if (!m) return unauthorized('missing bearer token');
  try {
    const { payload } = await jwtVerify(m[1]!, key, { issuer: realm.issuer, algorithms: ['RS256'] });
    const user = typeof payload.sub === 'string' ? realm.usersById.get(payload.sub) : undefined;
    if (user) {
      sendJson(res, 200, {
        sub: user.id,
        preferred_username: user.username,
        name: user.username,
        ...(user.email ? { email: user.email, email_verified: true } : {}),
        realm_access: { roles: [...user.roles] },
      }, cors);
    } else {
      sendJson(res, 200, { sub: payload.sub, preferred_username: payload['preferred_username'] }, cors);
    }
  } catch (err) {
    unauthorized((err as Error).message);
  }
}

/**
 * Starts the dev identity server: one oidc-provider instance per realm mounted at `/realms/<realm>`
 * (issuer `http://<host>:<port>/realms/<realm>`), each with its own RS256 key, serving Keycloak's
 * layout: `/.well-known/openid-configuration` and `/protocol/openid-connect/{auth,token,certs,userinfo,
 * logout,token/introspect,revoke}`; `GET /realms/<realm>` answers Keycloak's realm info JSON.
 * Unknown realms answer 404 `{"error":"Realm does not exist"}` like Keycloak.
 *
 * Rejects when the port is taken or a seed is invalid (`ZodError`).
 */
export async function startDevIdentity(opts: DevIdentityOptions): Promise<DevIdentityServer> {
  const host = opts.host ?? '127.0.0.1';
  const realms = new Map<string, Realm>();
  const keys = new Map<string, Promise<CryptoKey | KeyObject | Uint8Array>>();

  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      console.error('[dev-identity] request failed', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://localhost');
    const m = /^\/realms\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const realm = REALM_NAME_PATTERN.test(name) ? realms.get(name) : undefined;
    if (!realm) {
      sendJson(res, 404, { error: 'Realm does not exist' });
      return;
    }
    if ((rest === '' || rest === '/') && req.method === 'GET') {
      // Keycloak realm info (GET /realms/<realm>).
      sendJson(res, 200, {
        realm: realm.name,
        public_key: realm.publicKeyPem.replace(/-----[A-Z ]+-----|\s/g, ''),
        'token-service': `${realm.issuer}/protocol/openid-connect`,
        'account-service': `${realm.issuer}/account`,
        'tokens-not-before': 0,
      });
      return;
    }
    if (rest.startsWith(`${LOGIN_ACTIONS_PATH}/`)) {
      await handleLogin(realm, req, res, `/realms/${encodeURIComponent(realm.name)}${rest}`);
      return;
    }
    if (rest === KEYCLOAK_ROUTES.userinfo) {
      let key = keys.get(realm.name);
      if (!key) {
        key = importJWK(realm.publicJwk, 'RS256');
        keys.set(realm.name, key);
      }
      await handleUserinfo(realm, await key, req, res);
      return;
    }
    // Mount: oidc-provider derives its mount path from originalUrl minus url (like Express' app.use).
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = rawUrl;
    req.url = `${rest || '/'}${url.search}`;
    realm.handler(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const issuer = (realm: string) => `${base}/realms/${encodeURIComponent(realm)}`;

  const addRealm = async (seed: RealmSeed) => {
    if (realms.has(seed.realm)) throw new Error(`realm ${seed.realm} already exists`);
    const realm = await createRealm(seed, issuer(seed.realm));
    if (realms.has(seed.realm)) throw new Error(`realm ${seed.realm} already exists`);
    realms.set(realm.name, realm);
  };

  try {
    for (const seed of opts.realms) await addRealm(seed);
  } catch (err) {
    server.close();
    throw err;
  }

  return {
    url: base,
    issuer,
    tokenUrl: (realm) => `${issuer(realm)}${KEYCLOAK_ROUTES.token}`,
    addRealm,
    realmNames: () => [...realms.keys()],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
