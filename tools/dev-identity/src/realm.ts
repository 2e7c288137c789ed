import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type OidcContext, type TokenLike } from 'oidc-provider';
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { verifyPassword } from './crypto.js';
import { errorPage, messagePage } from './html.js';
import { createRealmPgAdapter, PKCE_S256_METADATA, WEB_ORIGINS_METADATA } from './realm-pg-adapter.js';
import type { IdentityStore, RealmKeys, RealmRow, UserRow } from './store.js';

/**
 * Resource indicator (RFC 8707) of the Cetate APIs. Every access token the dev server issues is for
 * this resource, which is what makes oidc-provider emit RFC 9068 JWT access tokens (`typ: at+jwt`)
 * instead of opaque ones. Clients need not send `resource`: it is the default.
 */
export const CETATE_API_RESOURCE = 'urn:cetate:api';

/** Default `aud` of access tokens (Keycloak: audience mapper to the API client). */
export const DEFAULT_AUDIENCE = 'cetate-api';

/** Default access token lifetime in seconds (Keycloak realm default "Access Token Lifespan" = 5 min). */
export const DEFAULT_ACCESS_TOKEN_TTL_SEC = 300;

/** Keycloak's OIDC endpoint paths relative to `/realms/<realm>` (Keycloak server URL layout). */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
} as const;

/** Path (relative to the realm) of the login interaction, like Keycloak's `/login-actions/...`. */
export const LOGIN_ACTIONS_PATH = '/login-actions';

/** OIDC scopes the realms support (OIDC Core §5.4 plus Keycloak's `roles` client scope). */
const SUPPORTED_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'roles'];

/** One running realm: its oidc-provider instance and public signing key. */
export interface Realm {
  name: string;
  issuer: string;
  /** The stored realm (mutable: the admin API updates `enabled` / `displayName` in place). */
  row: RealmRow;
  provider: Provider;
  /** The realm's public signing key (RS256) as a JWK, the one served at `/certs`. */
  publicJwk: JWK;
  /** PEM SPKI of the public key (Keycloak's realm info `public_key` is its base64 body). */
  publicKeyPem: string;
  /** The public key, imported for verifying the realm's own tokens (userinfo, admin API). */
  verifyKey: CryptoKey | KeyObject;
  /**
   * Checks a username/password pair (scrypt, constant time; unknown users cost the same). Returns the
   * user when the password matches, whether or not the user is enabled (the caller says which).
   */
  authenticate(username: string, password: string): Promise<UserRow | undefined>;
  /** The realm's oidc-provider request handler (expects `req.url` relative to the realm). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Generates the keys of a new realm: an RS256 key pair (kid = RFC 7638 thumbprint) and a cookie key. */
export async function generateRealmKeys(): Promise<RealmKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  return {
    privateJwk: { ...privateJwk, kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/** Deterministic UUID (v8 layout, RFC 9562 §5.8) from a name; used as a user's `sub`. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Keycloak-style wildcard redirect URI match: exact, or prefix match when the pattern ends in `*`. */
export function redirectUriMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}


/**
 * Keycloak's web origins rule for a client's browser (CORS) calls: `*` allows any origin, `+` the origins of
 * the client's redirect URIs (wildcards included: `http://demo.localhost:8080/*` → `http://demo.localhost:8080`),
 * anything else is an exact origin. An empty list allows none (Keycloak: no `Access-Control-Allow-Origin`).
 * Source: Keycloak Server Administration Guide, "Web origins" of an OIDC client.
 */
export function webOriginAllowed(webOrigins: readonly string[], redirectUris: readonly string[], origin: string): boolean {
  if (!origin || origin === 'null') return false;
  const originOf = (uri: string) => URL.parse(uri.endsWith('*') ? uri.slice(0, -1) : uri)?.origin;
  return webOrigins.some((w) => {
    if (w === '*') return true;
    if (w === '+') return redirectUris.some((u) => originOf(u) === origin);
    return originOf(w) === origin || w === origin;
  });
}

/** Realm roles mapped to a user, by name. */
async function roleNames(store: IdentityStore, userId: string): Promise<string[]> {
  return (await store.userRoles(userId)).map((r) => r.name);
}

/**
 * Builds the runtime of one stored realm: an oidc-provider v9 instance with issuer `issuer`
 * (`<base>/realms/<realm>`) signing with the realm's stored RS256 key, Keycloak routes, storage in
 * PostgreSQL ({@link createRealmPgAdapter}: clients from the clients table, sessions/grants/codes/
 * refresh tokens as sealed payloads), JWT access tokens for {@link CETATE_API_RESOURCE} carrying
 * Keycloak claims (`azp`, `preferred_username`, `email`, `realm_access.roles`, `typ`),
 * client_credentials, authorization_code + PKCE S256 (required for public clients and for clients
 * with attribute `pkce.code.challenge.method=S256`, RFC 7636), refresh tokens for code-flow clients,
 * automatic consent (Keycloak's "Consent required: off") and login through
 * `/realms/<realm>/login-actions/<uid>`. Users and roles are read from the store on each use, so
 * admin API changes apply at once; a disabled user has no account for the provider (refresh fails).
 *
 * @throws Error when the realm's keys cannot be decrypted (wrong `DEV_IDENTITY_DB_KEY`).
 */
export async function createRealm(store: IdentityStore, row: RealmRow, issuer: string): Promise<Realm> {
  const realm = row.name;
  const keys = await store.getRealmKeys(realm);
  const publicKey = await importJWK(keys.publicJwk, 'RS256');
  if (publicKey instanceof Uint8Array) throw new Error('realm public key is not an RSA key');
  const publicKeyPem = await exportSPKI(publicKey);
  // The TTL is read per token from the realm row, so PUT accessTokenLifespan applies at once.
  const ttl = () => current.row.accessTokenLifespan || DEFAULT_ACCESS_TOKEN_TTL_SEC;

  const userClaims = async (userId: string) => {
    const user = await store.getUser(realm, userId);
    if (!user || !user.enabled) return undefined;
    return { user, roles: await roleNames(store, user.id) };
  };

  const configuration: Configuration = {
    adapter: createRealmPgAdapter(store, realm),
    extraClientMetadata: { properties: [PKCE_S256_METADATA, WEB_ORIGINS_METADATA] },
    // CORS of token, revocation, introspection and userinfo calls from a browser (keycloak-js): the client's
    // Keycloak web origins (see webOriginAllowed), not oidc-provider's default (public clients' redirect URIs).
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris?: string[]; [WEB_ORIGINS_METADATA]?: string[] }) =>
      webOriginAllowed(client[WEB_ORIGINS_METADATA] ?? [], client.redirectUris ?? [], origin),
    jwks: { keys: [keys.privateJwk] },
    cookies: {
      keys: keys.cookieKeys,
      // Per-realm names: all realms share one host, so `_session` of one realm must not clobber another's.
      names: { session: `_session_${realm}`, interaction: `_interaction_${realm}`, resume: `_interaction_resume_${realm}` },
    },
    routes: KEYCLOAK_ROUTES,
    scopes: SUPPORTED_SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
      roles: ['realm_access'],
    },
    ttl: {
      AccessToken: () => ttl(),
      ClientCredentials: () => ttl(),
      AuthorizationCode: 60,
      IdToken: () => ttl(),
      Interaction: 1800,
      Session: 36000,
      Grant: 36000,
      RefreshToken: 1800,
    },
    pkce: {
      required: (_ctx: unknown, client: { clientAuthMethod: string; [PKCE_S256_METADATA]?: boolean }) =>
        client.clientAuthMethod === 'none' || client[PKCE_S256_METADATA] === true,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: unknown }, form: string) => {
          ctx.body = messagePage(
            'Sign out',
            `${form}<button id="kc-logout" type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: { body: unknown }) => {
          ctx.body = messagePage('Signed out', '<p>You are signed out.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => CETATE_API_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== CETATE_API_RESOURCE) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: SUPPORTED_SCOPES.join(' '),
            audience: current.row.audience,
            accessTokenTTL: ttl(),
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx: unknown, sub: string) => {
      const found = await userClaims(sub);
      if (!found) return undefined;
      const { user, roles } = found;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          preferred_username: user.username,
          name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username,
          ...(user.firstName ? { given_name: user.firstName } : {}),
          ...(user.lastName ? { family_name: user.lastName } : {}),
          ...(user.email ? { email: user.email, email_verified: true } : {}),
          realm_access: { roles },
        }),
      };
    },
    extraTokenClaims: async (_ctx: unknown, token: TokenLike) => {
      if (token.accountId) {
        const found = await userClaims(token.accountId);
        if (!found) return undefined;
        return {
          typ: 'Bearer',
          azp: token.clientId,
          preferred_username: found.user.username,
          ...(found.user.email ? { email: found.user.email, email_verified: true } : {}),
          realm_access: { roles: found.roles },
        };
      }
      // Client credentials: the client's service account user carries the roles (Keycloak).
      const client = token.clientId ? await store.getClientByClientId(realm, token.clientId) : undefined;
      const sa = client ? await store.getServiceAccountUser(realm, client.id) : undefined;
      return {
        typ: 'Bearer',
        azp: token.clientId,
        // Keycloak names a client's service account user `service-account-<clientId>`.
        preferred_username: sa?.username ?? `service-account-${token.clientId}`,
        realm_access: { roles: sa ? await roleNames(store, sa.id) : [] },
      };
    },
    // Consent is implicit for the realm's own clients (Keycloak "Consent required: off"): the grant
    // is topped up with whatever supported scope is asked, so the consent prompt never shows.
    loadExistingGrant: async (ctx: OidcContext) => {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session?.accountId ?? oidc.account?.accountId;
      if (!clientId || !accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const grant = (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ?? new oidc.provider.Grant({ accountId, clientId });
      const requested = String(oidc.params?.scope ?? 'openid')
        .split(' ')
        .filter((s) => SUPPORTED_SCOPES.includes(s));
      if (requested.length) grant.addOIDCScope(requested.join(' '));
      for (const [resource, server] of Object.entries(oidc.resourceServers ?? {})) {
        grant.addResourceScope(resource, server.scope);
      }
      await grant.save();
      return grant;
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) =>
        `/realms/${encodeURIComponent(realm)}${LOGIN_ACTIONS_PATH}/${interaction.uid}`,
    },
    renderError: async (ctx: { type: string; body: unknown }, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
  };

  const provider = new Provider(issuer, configuration);
  // Keycloak accepts wildcard redirect URIs ("http://127.0.0.1:4200/*"); oidc-provider matches exactly.
  const proto = provider.Client.prototype;
  const exactRedirect = proto.redirectUriAllowed;
  const exactLogout = proto.postLogoutRedirectUriAllowed;
  proto.redirectUriAllowed = function (this: typeof proto, value: string) {
    return (this.redirectUris ?? []).some((p) => p.endsWith('*') && redirectUriMatches(p, value)) || exactRedirect.call(this, value);
  };
  proto.postLogoutRedirectUriAllowed = function (this: typeof proto, value: string) {
    return (this.postLogoutRedirectUris ?? []).some((p) => p.endsWith('*') && redirectUriMatches(p, value)) || exactLogout.call(this, value);
  };
  provider.on('server_error', (_ctx: unknown, err: unknown) => {
    console.error(`[dev-identity] realm ${realm}: server_error`, err);
  });

  const current: Realm = {
    name: realm,
    issuer,
    row,
    provider,
    publicJwk: keys.publicJwk,
    publicKeyPem,
    verifyKey: publicKey,
    async authenticate(username, password) {
      const user = await store.getUserByUsername(realm, username);
      const ok = await verifyPassword(password, user?.serviceAccountClientId ? undefined : user?.passwordHash);
      return user && ok ? user : undefined;
    },
    handler: provider.callback(),
  };
  return current;
}
