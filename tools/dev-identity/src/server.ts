import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import type { Provider } from 'oidc-provider';
import pg from 'pg';
import { ADMIN_ROLE, handleAdmin, MASTER_REALM } from './admin-api.js';
import { DEV_DEFAULT_DB_KEY, hashPassword, parseDbKey, SecretBox, verifyPassword } from './crypto.js';
import { errorPage, loginPage, updatePasswordPage } from './html.js';
import { createRealm, KEYCLOAK_ROUTES, LOGIN_ACTIONS_PATH, type Realm } from './realm.js';
import { importRealm, seedToRepresentation, UPDATE_PASSWORD } from './realm-model.js';
import { REALM_NAME_PATTERN, type RealmSeed } from './realm-seed.js';
import { IdentityConflictError, IdentityStore, type RealmRow } from './store.js';

/** Options of {@link startDevIdentity}. */
export interface DevIdentityOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind and to put in issuer URLs; default `127.0.0.1`. */
  host?: string;
  /** Realms to create at start when they do not exist yet in the database (idempotent seeding). */
  realms: RealmSeed[];
  /**
   * PostgreSQL URL of the identity database (created when missing, migrated at start). Omitted: a
   * private database `cetate_identity_<random>` on the server of `DATABASE_URL`, dropped by `close()`
   * (what tests want). `main.ts` passes `DEV_IDENTITY_DATABASE_URL` / `DATABASE_URL` + `cetate_identity`.
   */
  databaseUrl?: string;
  /** base64 AES-256 key sealing secrets at rest; default env `DEV_IDENTITY_DB_KEY`, else {@link DEV_DEFAULT_DB_KEY}. */
  dbKey?: string;
  /** Secret of master realm client `cetate-provisioner`; default env `DEV_IDENTITY_ADMIN_SECRET`, else `cetate-provisioner-secret`. */
  adminClientSecret?: string;
  /** Password of master realm user `admin`; default env `DEV_IDENTITY_ADMIN_PASSWORD`, else `admin`. */
  adminPassword?: string;
}

/** Client of realm master whose service account has role `admin` (client credentials). */
export const PROVISIONER_CLIENT_ID = 'cetate-provisioner';
/** Public client of realm master for the password grant of user `admin` (Keycloak's `admin-cli`). */
export const ADMIN_CLI_CLIENT_ID = 'admin-cli';

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
  /** Names of the realms served (including `master`), sorted. */
  realmNames(): Promise<string[]>;
  /** The identity database URL in use. */
  databaseUrl: string;
  /** Admin API credentials: client credentials of `cetate-provisioner` in realm `master`. */
  admin: { realm: string; clientId: string; clientSecret: string };
  /** Stops listening, drops open connections, closes the pool (and drops a private database). */
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readRaw(req));
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

/** Lifetime of the step between a verified temporary password and the new password, seconds. */
const UPDATE_PASSWORD_STEP_TTL_SEC = 600;

/**
 * Login interaction (`/realms/<realm>/login-actions/<uid>`): GET renders the form of the `login`
 * prompt, POST (`username`, `password`, form-urlencoded) checks the password and finishes the
 * interaction with a 303 back to the authorization endpoint (OIDC Core §3.1.2.3 authentication).
 * Wrong credentials re-render the form (200, `#input-error`), as Keycloak does; a disabled user gets
 * Keycloak's "Account is disabled" message. A user with required action `UPDATE_PASSWORD` gets the
 * update-password form instead (fields `password-new`, `password-confirm`, sealed `session_code`
 * binding user + interaction, 10 min); a valid new password is stored, the action cleared, and only
 * then the interaction finishes.
 */
async function handleLogin(realm: Realm, box: SecretBox, store: IdentityStore, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
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
  const html = (body: string) => send(res, 200, 'text/html; charset=utf-8', body);
  if (req.method === 'GET') {
    html(loginPage({ realm: realm.name, clientId, action: path }));
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, 'text/plain', 'method not allowed', { allow: 'GET, POST' });
    return;
  }
  const form = await readForm(req);
  const aad = `update-password:${realm.name}:${details.uid}`;
  if (form.has('session_code')) {
    let userId: string | undefined;
    try {
      const step = JSON.parse(box.open(form.get('session_code') ?? '', aad)) as { userId: string; exp: number };
      if (step.exp > Date.now() / 1000) userId = step.userId;
    } catch {
      userId = undefined;
    }
    const user = userId ? await store.getUser(realm.name, userId) : undefined;
    if (!user || !user.enabled) {
      html(loginPage({ realm: realm.name, clientId, action: path, error: 'Your login attempt timed out. Login will start from the beginning.' }));
      return;
    }
    const next = form.get('password-new') ?? '';
    const again = form.get('password-confirm') ?? '';
    // Keycloak's messages (messages_en.properties: missingPasswordMessage, notMatchPasswordMessage).
    const error = !next ? 'Please specify password.' : next !== again ? "Passwords don't match." : undefined;
    if (error) {
      html(updatePasswordPage({ realm: realm.name, action: path, sessionCode: form.get('session_code') ?? '', error }));
      return;
    }
    await store.updateUser(realm.name, user.id, {
      passwordHash: await hashPassword(next),
      requiredActions: user.requiredActions.filter((a) => a !== UPDATE_PASSWORD),
    });
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    return;
  }
  const username = form.get('username') ?? '';
  const user = await realm.authenticate(username, form.get('password') ?? '');
  if (!user) {
    html(loginPage({ realm: realm.name, clientId, action: path, username, error: 'Invalid username or password.' }));
    return;
  }
  if (!user.enabled) {
    html(loginPage({ realm: realm.name, clientId, action: path, username, error: 'Account is disabled, contact your administrator.' }));
    return;
  }
  if (user.requiredActions.includes(UPDATE_PASSWORD)) {
    const sessionCode = box.seal(JSON.stringify({ userId: user.id, exp: Math.floor(Date.now() / 1000) + UPDATE_PASSWORD_STEP_TTL_SEC }), aad);
    html(updatePasswordPage({ realm: realm.name, action: path, sessionCode }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
}

/**
 * UserInfo (OIDC Core §5.3) for the realm's JWT access tokens. oidc-provider only serves userinfo for
 * opaque audience-less tokens, while Keycloak accepts its JWT access tokens here, so the dev server
 * answers itself: verifies RS256 + `iss` + `exp` and returns the user's (or service account's) claims.
 * A disabled or deleted user's token answers 401.
 */
async function handleUserinfo(realm: Realm, store: IdentityStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  let payload;
  try {
    ({ payload } = await jwtVerify(m[1]!, realm.verifyKey, { issuer: realm.issuer, algorithms: ['RS256'] }));
  } catch (err) {
    return unauthorized((err as Error).message);
  }
  const sub = typeof payload.sub === 'string' ? payload.sub : '';
  const user = /^[0-9a-f-]{36}$/i.test(sub) ? await store.getUser(realm.name, sub) : undefined;
  if (user) {
    if (!user.enabled) return unauthorized('user disabled');
    sendJson(res, 200, {
      sub: user.id,
      preferred_username: user.username,
      name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username,
      ...(user.email ? { email: user.email, email_verified: true } : {}),
      realm_access: { roles: (await store.userRoles(user.id)).map((r) => r.name) },
    }, cors);
  } else {
    sendJson(res, 200, { sub: payload.sub, preferred_username: payload['preferred_username'] }, cors);
  }
}

/**
 * Resource Owner Password Credentials grant (RFC 6749 §4.3; Keycloak "Direct access grants") for
 * clients with `directAccessGrantsEnabled` — realm master's `admin-cli` is the one meant (the
 * `@keycloak/keycloak-admin-client` `grantType: 'password'` login). oidc-provider has no such grant,
 * so the token is minted here with the realm key and the same claims as the provider's tokens.
 * No refresh token is issued. Errors follow Keycloak: 401 `invalid_client` / `invalid_grant`
 * "Invalid user credentials", 400 `invalid_grant` "Account disabled" / "Account is not fully set up".
 */
async function passwordGrant(realm: Realm, store: IdentityStore, req: IncomingMessage, form: URLSearchParams, res: ServerResponse): Promise<void> {
  let clientId = form.get('client_id') ?? '';
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, s] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    secret = decodeURIComponent(s ?? '');
  }
  const client = await store.getClientByClientId(realm.name, clientId);
  const clientOk = client?.enabled && client.directAccessGrantsEnabled && (client.publicClient || (secret !== undefined && secret === client.secret));
  if (!client || !clientOk) return sendJson(res, 401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
  const user = await realm.authenticate(form.get('username') ?? '', form.get('password') ?? '');
  if (!user) return sendJson(res, 401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
  if (!user.enabled) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Account disabled' });
  if (user.requiredActions.length) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Account is not fully set up' });
  const ttl = realm.row.accessTokenLifespan;
  const keys = await store.getRealmKeys(realm.name);
  const signKey = await importJWK(keys.privateJwk, 'RS256');
  const accessToken = await new SignJWT({
    typ: 'Bearer',
    azp: client.clientId,
    client_id: client.clientId,
    scope: 'openid profile email',
    preferred_username: user.username,
    ...(user.email ? { email: user.email, email_verified: true } : {}),
    realm_access: { roles: (await store.userRoles(user.id)).map((r) => r.name) },
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: keys.publicJwk.kid! })
    .setIssuer(realm.issuer)
    .setSubject(user.id)
    .setAudience(realm.row.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .setJti(randomUUID())
    .sign(signKey);
  sendJson(res, 200, { access_token: accessToken, expires_in: ttl, token_type: 'Bearer', scope: 'openid profile email', 'not-before-policy': 0 });
}

/** Creates a private database for a server started without `databaseUrl`; `drop` removes it. */
async function privateDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `cetate_identity_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Makes sure realm master exists (Keycloak's administration realm): roles `admin`, confidential client
 * `cetate-provisioner` (client credentials, service account with role `admin`), public client
 * `admin-cli` (password grant) and user `admin` (role `admin`). The provisioner secret and the admin
 * password are set to the configured values on every start.
 */
async function ensureMasterRealm(store: IdentityStore, clientSecret: string, adminPassword: string): Promise<void> {
  if (!(await store.getRealm(MASTER_REALM))) {
    try {
      await importRealm(store, {
        realm: MASTER_REALM,
        displayName: 'Keycloak',
        enabled: true,
        accessTokenLifespan: 60,
        roles: { realm: [{ name: ADMIN_ROLE }, { name: 'create-realm' }] },
        clients: [
          { clientId: PROVISIONER_CLIENT_ID, secret: clientSecret, standardFlowEnabled: false, serviceAccountsEnabled: true },
          { clientId: ADMIN_CLI_CLIENT_ID, publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true },
        ],
        users: [
          { username: 'admin', enabled: true, credentials: [{ type: 'password', value: adminPassword, temporary: false }], realmRoles: [ADMIN_ROLE, 'create-realm'] },
          { username: `service-account-${PROVISIONER_CLIENT_ID}`, serviceAccountClientId: PROVISIONER_CLIENT_ID, realmRoles: [ADMIN_ROLE, 'create-realm'] },
        ],
      });
      return;
    } catch (err) {
      if (!(err instanceof IdentityConflictError)) throw err; // created concurrently by another process
    }
  }
  const provisioner = await store.getClientByClientId(MASTER_REALM, PROVISIONER_CLIENT_ID);
  if (provisioner && provisioner.secret !== clientSecret) await store.updateClient({ ...provisioner, secret: clientSecret });
  const admin = await store.getUserByUsername(MASTER_REALM, 'admin');
  if (admin && !(await verifyPassword(adminPassword, admin.passwordHash))) {
    await store.updateUser(MASTER_REALM, admin.id, { passwordHash: await hashPassword(adminPassword) });
  }
}

/**
 * Starts the dev identity server: realms stored in PostgreSQL, each served by its own oidc-provider
 * instance (built on first use) at `/realms/<realm>` (issuer `http://<host>:<port>/realms/<realm>`)
 * with Keycloak's layout — `/.well-known/openid-configuration` and `/protocol/openid-connect/{auth,
 * token,certs,userinfo,logout,token/introspect,revoke}`; `GET /realms/<realm>` answers Keycloak's
 * realm info JSON — and Keycloak's admin REST subset at `/admin/realms` (see `admin-api.ts`).
 * Unknown realms answer 404 `{"error":"Realm does not exist"}`, disabled ones 403
 * `{"error":"Realm not enabled"}`.
 *
 * Start-up: opens (creates, migrates) the database, ensures realm master, creates the seed realms
 * that do not exist yet (existing ones are left as they are, but for the redirect URIs and web origins their
 * seeded clients lack: {@link topUpSeedClients}), then listens.
 *
 * Rejects when PostgreSQL is unreachable, the port is taken, `dbKey` is not 32 bytes or cannot open
 * the stored keys, or a seed is invalid (`ZodError`).
 */
export async function startDevIdentity(opts: DevIdentityOptions): Promise<DevIdentityServer> {
  const host = opts.host ?? '127.0.0.1';
  const box = new SecretBox(parseDbKey(opts.dbKey ?? (process.env['DEV_IDENTITY_DB_KEY'] || DEV_DEFAULT_DB_KEY)));
  const adminClientSecret = opts.adminClientSecret ?? (process.env['DEV_IDENTITY_ADMIN_SECRET'] || 'cetate-provisioner-secret');
  const adminPassword = opts.adminPassword ?? (process.env['DEV_IDENTITY_ADMIN_PASSWORD'] || 'admin');
  const temp = opts.databaseUrl ? undefined : await privateDatabase();
  const databaseUrl = opts.databaseUrl ?? temp!.url;
  const cleanup = async () => {
    await store?.close().catch(() => undefined);
    await temp?.drop();
  };

  let store: IdentityStore | undefined;
  try {
    store = await IdentityStore.open(databaseUrl, box);
    await ensureMasterRealm(store, adminClientSecret, adminPassword);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const db = store;
  /** Runtimes by realm name; a promise so concurrent first requests build one provider. */
  const runtimes = new Map<string, Promise<Realm | undefined>>();
  let base = '';
  const issuer = (realm: string) => `${base}/realms/${encodeURIComponent(realm)}`;

  const getRealm = (name: string): Promise<Realm | undefined> => {
    let r = runtimes.get(name);
    if (!r) {
      r = db.getRealm(name).then((row) => (row ? createRealm(db, row, issuer(name)) : undefined));
      runtimes.set(name, r);
      // A miss is not cached (the realm may be created by another process); a failure is retried.
      void r.then((v) => { if (!v) runtimes.delete(name); }, () => runtimes.delete(name));
    }
    return r;
  };
  const realmChanged = (name: string, row: RealmRow | undefined) => {
    if (!row) {
      runtimes.delete(name);
      return;
    }
    void runtimes.get(name)?.then((rt) => { if (rt) rt.row = row; });
  };
  const masterRealm = async () => (await getRealm(MASTER_REALM))!;

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
    if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
      await handleAdmin({ store: db, baseUrl: base, masterRealm, realmChanged }, req, res, url);
      return;
    }
    const m = /^\/realms\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const realm = REALM_NAME_PATTERN.test(name) ? await getRealm(name) : undefined;
    if (!realm) {
      sendJson(res, 404, { error: 'Realm does not exist' });
      return;
    }
    if (!realm.row.enabled) {
      sendJson(res, 403, { error: 'Realm not enabled' });
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
      await handleLogin(realm, box, db, req, res, `/realms/${encodeURIComponent(realm.name)}${rest}`);
      return;
    }
    if (rest === KEYCLOAK_ROUTES.userinfo) {
      await handleUserinfo(realm, db, req, res);
      return;
    }
    if (rest === KEYCLOAK_ROUTES.token && req.method === 'POST' && /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      // Peek at the grant: `password` is served here, anything else goes on to oidc-provider with the
      // body already read (oidc-provider then uses `req.body`).
      const raw = await readRaw(req);
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') === 'password') {
        await passwordGrant(realm, db, req, form, res);
        return;
      }
      (req as IncomingMessage & { body?: string }).body = unwrapRefreshToken(form) ? form.toString() : raw;
      await wrapRefreshTokenInResponse(realm, db, res);
    } else if ((rest === KEYCLOAK_ROUTES.revocation || rest === KEYCLOAK_ROUTES.introspection) && req.method === 'POST') {
      const form = new URLSearchParams(await readRaw(req));
      unwrapRefreshToken(form, 'token');
      (req as IncomingMessage & { body?: string }).body = form.toString();
    }
    allowCredentialsForAllowedOrigin(req, res);
    // Mount: oidc-provider derives its mount path from originalUrl minus url (like Express' app.use).
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = rawUrl;
    req.url = `${rest || '/'}${url.search}`;
    realm.handler(req, res);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const addRealm = async (seed: RealmSeed) => {
    try {
      await importRealm(db, seedToRepresentation(seed), { audience: seed.audience, stableUserIds: true });
    } catch (err) {
      if (err instanceof IdentityConflictError) throw new Error(`realm ${seed.realm} already exists`);
      throw err;
    }
  };

  try {
    for (const seed of opts.realms) {
      if (await db.getRealm(seed.realm)) {
        await topUpSeedClients(db, seed);
        continue;
      }
      await addRealm(seed).catch((err: unknown) => {
        // Seeded concurrently by another process: fine.
        if (!(err instanceof Error && /already exists/.test(err.message))) throw err;
      });
    }
  } catch (err) {
    server.close();
    await cleanup();
    throw err;
  }

  // Expired oidc-provider models are filtered on read and purged here once a minute.
  const purge = setInterval(() => void db.purgeExpired().catch((err: unknown) => console.error('[dev-identity] purge failed', err)), 60_000);
  purge.unref();

  return {
    url: base,
    issuer,
    tokenUrl: (realm) => `${issuer(realm)}${KEYCLOAK_ROUTES.token}`,
    addRealm,
    realmNames: async () => (await db.listRealms()).map((r) => r.name),
    databaseUrl,
    admin: { realm: MASTER_REALM, clientId: PROVISIONER_CLIENT_ID, clientSecret: adminClientSecret },
    close: async () => {
      clearInterval(purge);
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await cleanup();
    },
  };
}

/** Claim of the JWT wrapper carrying oidc-provider's opaque refresh token (see {@link wrapRefreshTokenInResponse}). */
const WRAPPED_REFRESH_CLAIM = 'cetate_rt';
/** Refresh token lifetime in seconds (the realm's `ttl.RefreshToken`), the wrapper's `exp`. */
const REFRESH_TTL_SEC = 1800;

/**
 * Keycloak's refresh tokens are JWTs (`typ: "Refresh"`), and keycloak-js 26 decodes them (`refreshTokenParsed`;
 * an opaque token makes `init()` fail with "Unable to decode token, payload not found"). oidc-provider issues
 * opaque ones, so the token endpoint's JSON answer gets its `refresh_token` wrapped in a JWT signed with the realm
 * key: `{ typ: 'Refresh', iss, azp, sub?, iat, exp, jti, cetate_rt: <opaque token> }`. The wrapper is only an
 * envelope: {@link unwrapRefreshToken} hands the opaque token back to oidc-provider, which checks it as before.
 */
async function wrapRefreshTokenInResponse(realm: Realm, store: IdentityStore, res: ServerResponse): Promise<void> {
  const keys = await store.getRealmKeys(realm.name);
  const signKey = await importJWK(keys.privateJwk, 'RS256');
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  res.end = function (chunk?: unknown, ...rest: unknown[]) {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    let body: Record<string, unknown> | undefined;
    try {
      body = text && !res.headersSent && res.statusCode === 200 ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const rt = body?.['refresh_token'];
    if (!body || typeof rt !== 'string' || rt.split('.').length === 3) return end(chunk, ...rest);
    const access = typeof body['access_token'] === 'string' ? body['access_token'].split('.')[1] : undefined;
    const claims = access ? (JSON.parse(Buffer.from(access, 'base64url').toString('utf8')) as Record<string, unknown>) : {};
    void new SignJWT({ typ: 'Refresh', azp: claims['azp'] ?? claims['client_id'], [WRAPPED_REFRESH_CLAIM]: rt })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.publicJwk.kid! })
      .setIssuer(realm.issuer)
      .setSubject(typeof claims['sub'] === 'string' ? claims['sub'] : '')
      .setIssuedAt()
      .setExpirationTime(`${REFRESH_TTL_SEC}s`)
      .setJti(randomUUID())
      .sign(signKey)
      .then(
        (jwt) => {
          const out = JSON.stringify({ ...body, refresh_token: jwt, refresh_expires_in: REFRESH_TTL_SEC });
          res.setHeader('content-length', Buffer.byteLength(out));
          end(out);
        },
        () => end(chunk, ...rest),
      );
    return res;
  } as ServerResponse['end'];
}

/** Replaces a wrapped refresh token (form field `field`) by the opaque one inside. @returns whether it did. */
function unwrapRefreshToken(form: URLSearchParams, field = 'refresh_token'): boolean {
  const v = form.get(field);
  const payload = v?.split('.')[1];
  if (!payload || v!.split('.').length !== 3) return false;
  try {
    const inner = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)[WRAPPED_REFRESH_CLAIM];
    if (typeof inner !== 'string') return false;
    form.set(field, inner);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keycloak answers an allowed CORS origin with `Access-Control-Allow-Credentials: true` (its `Cors` helper), and
 * keycloak-js 26 calls the token endpoint with `fetch(..., { credentials: 'include' })`, which the browser refuses
 * without that header (Fetch standard, CORS check). oidc-provider never sends it, so every response of the realm
 * whose `Access-Control-Allow-Origin` is the request's own `Origin` (i.e. the client's web origins allowed it) gets
 * it added just before its head is written. `*` answers (discovery, certs without Origin) are left alone.
 */
function allowCredentialsForAllowedOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (this.getHeader('access-control-allow-origin') === origin) this.setHeader('access-control-allow-credentials', 'true');
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

/**
 * A realm seeded by an earlier version stays as it is, except that each seeded client that exists gets the
 * seed's redirect URIs and web origins it lacks (added, none removed): a database seeded before the gateway
 * (`http://demo.localhost:8080/*`) lets the browser shell log in without `dropdb cetate_identity`.
 * @returns the client ids changed.
 */
export async function topUpSeedClients(store: IdentityStore, seed: RealmSeed): Promise<string[]> {
  const changed: string[] = [];
  for (const c of seed.clients) {
    const cur = await store.getClientByClientId(seed.realm, c.clientId);
    if (!cur) continue;
    const redirectUris = [...cur.redirectUris, ...(c.redirectUris ?? []).filter((u) => !cur.redirectUris.includes(u))];
    const webOrigins = [...cur.webOrigins, ...(c.webOrigins ?? []).filter((o) => !cur.webOrigins.includes(o))];
    if (redirectUris.length === cur.redirectUris.length && webOrigins.length === cur.webOrigins.length) continue;
    await store.updateClient({ ...cur, redirectUris, webOrigins });
    changed.push(c.clientId);
  }
  return changed;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
