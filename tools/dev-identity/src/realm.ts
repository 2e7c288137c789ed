import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type OidcContext, type TokenLike } from 'oidc-provider';
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { errorPage, messagePage } from './html.js';
import { createRealmMemoryAdapter } from './realm-memory-adapter.js';
import { parseRealmSeed, type ClientSeed, type RealmSeed, type UserSeed } from './realm-seed.js';

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

/** A user of a realm with its stable subject identifier. */
export interface RealmUser extends UserSeed {
  /** `sub`: a UUID derived from realm + username, stable across restarts (Keycloak uses UUIDs). */
  id: string;
}

/** One running realm: its oidc-provider instance, signing key and users. */
export interface Realm {
  name: string;
  issuer: string;
  seed: RealmSeed;
  provider: Provider;
  /** The realm's public signing key (RS256) as a JWK, the one served at `/certs`. */
  publicJwk: JWK;
  /** PEM SPKI of the public key (Keycloak's realm info `public_key` is its base64 body). */
  publicKeyPem: string;
  usersByName: Map<string, RealmUser>;
  usersById: Map<string, RealmUser>;
  clientsById: Map<string, ClientSeed>;
  /** Checks a username/password pair in constant time per comparison; the user, or undefined. */
  authenticate(username: string, password: string): RealmUser | undefined;
  /** The realm's oidc-provider request handler (expects `req.url` relative to the realm). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Deterministic UUID (v8 layout, RFC 9562 §5.8) from a name; used as a user's `sub`. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Keycloak-style wildcard redirect URI match: exact, or prefix match when the pattern ends in `*`. */
export function redirectUriMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/**
 * Builds one realm: a fresh RS256 key pair, an oidc-provider v9 instance with issuer `issuer`
 * (`<base>/realms/<realm>`), Keycloak routes, JWT access tokens for {@link CETATE_API_RESOURCE}
 * carrying Keycloak claims (`azp`, `preferred_username`, `email`, `realm_access.roles`, `typ`),
 * client_credentials, authorization_code + PKCE S256 (required for public clients, RFC 7636),
 * refresh tokens for clients allowed the grant, automatic consent (first-party clients, like
 * Keycloak's "Consent required: off") and login through `/realms/<realm>/login-actions/<uid>`.
 *
 * Throws a `ZodError` when the seed is invalid.
 */
export async function createRealm(input: RealmSeed, issuer: string): Promise<Realm> {
  const seed = parseRealmSeed(input);
  const realm = seed.realm;
  const ttl = seed.accessTokenTtlSec ?? DEFAULT_ACCESS_TOKEN_TTL_SEC;
  const audience = seed.audience ?? DEFAULT_AUDIENCE;

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const publicKeyPem = await exportSPKI(publicKey);

  const usersByName = new Map<string, RealmUser>();
  const usersById = new Map<string, RealmUser>();
  for (const u of seed.users) {
    const user: RealmUser = { ...u, id: stableUuid(`${realm}:${u.username}`) };
    usersByName.set(u.username, user);
    usersById.set(user.id, user);
  }
  const clientsById = new Map(seed.clients.map((c) => [c.clientId, c]));

  const configuration: Configuration = {
    adapter: createRealmMemoryAdapter(),
    clients: seed.clients.map((c) => ({
      client_id: c.clientId,
      ...(c.public
        ? { token_endpoint_auth_method: 'none' }
        : { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }),
      grant_types: c.grants,
      response_types: c.grants.includes('authorization_code') ? ['code'] : [],
      redirect_uris: c.redirectUris ?? [],
      post_logout_redirect_uris: c.redirectUris ?? [],
    })),
    jwks: { keys: [{ ...privateJwk, kid, alg: 'RS256', use: 'sig' }] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Per-realm names: all realms share one host, so `_session` of one realm must not clobber another's.
      names: { session: `_session_${realm}`, interaction: `_interaction_${realm}`, resume: `_interaction_resume_${realm}` },
    },
    routes: KEYCLOAK_ROUTES,
    scopes: SUPPORTED_SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
      roles: ['realm_access'],
    },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      AuthorizationCode: 60,
      IdToken: ttl,
      Interaction: 1800,
      Session: 36000,
      Grant: 36000,
      RefreshToken: 1800,
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
            audience,
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = usersById.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          preferred_username: user.username,
          name: user.username,
          ...(user.email ? { email: user.email, email_verified: true } : {}),
          realm_access: { roles: [...user.roles] },
        }),
      };
    },
    extraTokenClaims: async (_ctx: unknown, token: TokenLike) => {
      if (token.accountId) {
        const user = usersById.get(token.accountId);
        if (!user) return undefined;
        return {
          typ: 'Bearer',
          azp: token.clientId,
          preferred_username: user.username,
          ...(user.email ? { email: user.email, email_verified: true } : {}),
          realm_access: { roles: [...user.roles] },
        };
      }
      const client = token.clientId ? clientsById.get(token.clientId) : undefined;
      return {
        typ: 'Bearer',
        azp: token.clientId,
        // Keycloak names a client's service account user `service-account-<clientId>`.
        preferred_username: `service-account-${token.clientId}`,
        realm_access: { roles: [...(client?.serviceAccountRoles ?? [])] },
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

  return {
    name: realm,
    issuer,
    seed,
    provider,
    publicJwk,
    publicKeyPem,
    usersByName,
    usersById,
    clientsById,
    authenticate(username, password) {
      const user = usersByName.get(username);
      // Compare even for unknown users so timing does not reveal which usernames exist.
      const ok = safeEqual(user?.password ?? '\u0000no-user', password);
      return user && ok ? user : undefined;
    },
    handler: provider.callback(),
  };
}
