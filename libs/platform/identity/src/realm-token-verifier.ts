import { LRUCache } from 'lru-cache';
import { CetateError } from '@cetate/shared-errors';
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { AuthenticationError, IdentityProviderUnavailableError } from './errors.js';

/** Options of {@link RealmTokenVerifier}. */
export interface RealmTokenVerifierOptions {
  /** Keycloak server URL (`KEYCLOAK_URL`), e.g. `http://127.0.0.1:8090`; realms live at `<url>/realms/<realm>`. */
  issuerBaseUrl: string;
  /** Required `aud` value when set (Keycloak audience mapper); not checked when absent. */
  audience?: string;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds; default 0. */
  clockToleranceSec?: number;
  /** Maximum number of realms whose JWKS clients are cached (LRU); default 256. */
  maxCachedRealms?: number;
  /** Timeout of one JWKS HTTP request, in milliseconds; default 5000. */
  jwksTimeoutMs?: number;
  /**
   * Whether `realm` belongs to a tenant (the API passes its cached tenant-registry lookup by realm). Asked
   * BEFORE any JWKS request: the realm comes from the still unverified `iss`, so without this check every
   * invented realm name costs an outgoing request to the identity provider and a slot in the JWKS cache.
   * `false` → {@link AuthenticationError} reason `issuer`, nothing fetched. A rejection is passed through
   * unchanged (e.g. a platform-DB outage stays an outage, not a 401). When absent, every realm name that
   * passes the syntax check is tried (tests, single-tenant tools); set it in every server process.
   */
  isKnownRealm?: (realm: string) => Promise<boolean>;
  /**
   * How long a realm whose JWKS request failed (unreachable, timeout, non-200, not JSON) answers the same
   * error without a new request, in milliseconds; default 10 000. Bounds the load a broken or
   * unknown realm puts on the identity provider.
   */
  jwksFailureTtlMs?: number;
}

/**
 * Identity established from a verified access token.
 * - `realm`: Keycloak realm from the issuer (`<base>/realms/<realm>`), i.e. the tenant's realm.
 * - `subject`: `sub` (user UUID, or the service account's id).
 * - `clientId`: `azp` (authorized party, OIDC Core §2), else RFC 9068 `client_id`.
 * - `username`: `preferred_username` of a user; absent for service accounts (client_credentials).
 * - `serviceAccount`: true for client_credentials tokens (Keycloak `service-account-<client>` user).
 * - `roles`: `realm_access.roles` (Keycloak realm roles), strings only.
 * - `token`: the full verified payload.
 */
export interface VerifiedPrincipal {
  realm: string;
  subject: string;
  clientId?: string;
  username?: string;
  serviceAccount: boolean;
  roles: string[];
  token: JWTPayload;
}

/** Anything that turns a bearer token into a principal (the verifier, or a test double). */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedPrincipal>;
}

/** Realm names accepted from an issuer (Keycloak-safe path segment). */
const REALM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Upper bound on the compact JWS size we even try to parse. */
const MAX_TOKEN_CHARS = 16 * 1024;
const SERVICE_ACCOUNT_PREFIX = 'service-account-';

/**
 * Verifies Keycloak realm access tokens for every realm under one Keycloak server.
 *
 * Rule (ARCHITECTURE §2: the tenant comes from the verified issuer): the realm is read from the
 * *unverified* `iss`, which must be exactly `<issuerBaseUrl>/realms/<realm>`; the signature is then
 * checked against THAT realm's JWKS (`<issuer>/protocol/openid-connect/certs`, Keycloak layout) with
 * `iss` required to equal the same issuer, so a realm's key can never vouch for another realm.
 * Only RS256 is accepted (no `none`, no HS*, RFC 8725 §3.1); `exp` is required, `nbf`/`iat` checked
 * (RFC 7519 §4.1), optional `aud`. ID tokens are refused: the token must be an access token
 * (`typ` claim `Bearer` as Keycloak issues, or header `typ: at+jwt` per RFC 9068).
 *
 * Before any JWKS request the realm must pass `isKnownRealm` (when given); a failed JWKS request is
 * remembered for `jwksFailureTtlMs` per realm (negative cache), so neither invented realm names nor an
 * outage turn each request into an outgoing one.
 *
 * Errors: {@link AuthenticationError} (401) with a `reason` (`issuer` also for an unknown realm and for
 * a JWKS answered 404, Keycloak's "Realm does not exist"); {@link IdentityProviderUnavailableError} (503)
 * when the JWKS cannot be fetched: unreachable, timed out, any other non-200 answer (e.g. Keycloak 5xx),
 * or a body that is not a JSON Web Key Set.
 */
export class RealmTokenVerifier implements TokenVerifier {
  readonly issuerBaseUrl: string;
  private readonly audience: string | undefined;
  private readonly clockTolerance: number;
  private readonly jwksTimeoutMs: number;
  private readonly jwks: LRUCache<string, ReturnType<typeof createRemoteJWKSet>>;
  private readonly failedRealms: LRUCache<string, JwksFailure>;
  private readonly isKnownRealm: ((realm: string) => Promise<boolean>) | undefined;

  constructor(opts: RealmTokenVerifierOptions) {
    const base = new URL(opts.issuerBaseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('issuerBaseUrl must be http(s)');
    this.issuerBaseUrl = opts.issuerBaseUrl.replace(/\/+$/, '');
    this.audience = opts.audience;
    this.clockTolerance = opts.clockToleranceSec ?? 0;
    this.jwksTimeoutMs = opts.jwksTimeoutMs ?? 5000;
    this.jwks = new LRUCache({ max: opts.maxCachedRealms ?? 256 });
    this.failedRealms = new LRUCache({ max: 1024, ttl: Math.max(1, opts.jwksFailureTtlMs ?? 10_000) });
    this.isKnownRealm = opts.isKnownRealm;
  }

  /** Number of realms with a cached JWKS client (for tests and metrics). */
  get cachedRealmCount(): number {
    return this.jwks.size;
  }

  /** Issuer of a realm: `<issuerBaseUrl>/realms/<realm>`. */
  issuerFor(realm: string): string {
    return `${this.issuerBaseUrl}/realms/${encodeURIComponent(realm)}`;
  }

  /** The realm of an issuer under this server, or `null` if `iss` is anything else. */
  realmFromIssuer(iss: unknown): string | null {
    if (typeof iss !== 'string') return null;
    const prefix = `${this.issuerBaseUrl}/realms/`;
    if (!iss.startsWith(prefix)) return null;
    const realm = iss.slice(prefix.length);
    if (!REALM_NAME.test(realm)) return null;
    return this.issuerFor(realm) === iss ? realm : null;
  }

  private jwksFor(realm: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.jwks.get(realm);
    if (!set) {
      set = createRemoteJWKSet(new URL(`${this.issuerFor(realm)}/protocol/openid-connect/certs`), {
        timeoutDuration: this.jwksTimeoutMs,
        [customFetch]: fetchJwks,
      });
      this.jwks.set(realm, set);
    }
    return set;
  }

  /**
   * Verifies a compact JWS access token and returns its principal.
   * Throws {@link AuthenticationError} or {@link IdentityProviderUnavailableError}.
   */
  async verify(token: string): Promise<VerifiedPrincipal> {
    if (typeof token !== 'string' || token.length === 0) throw new AuthenticationError('missing', 'no token');
    if (token.length > MAX_TOKEN_CHARS) throw new AuthenticationError('malformed', 'token too large');
    let header;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (err) {
      throw new AuthenticationError('malformed', 'token is not a JWS compact JWT', err);
    }
    if (header.alg !== 'RS256') throw new AuthenticationError('algorithm', `alg ${String(header.alg)} not allowed`);
    const realm = this.realmFromIssuer(unverified.iss);
    if (!realm) throw new AuthenticationError('issuer', `untrusted issuer ${String(unverified.iss)}`);
    const issuer = this.issuerFor(realm);
    if (this.isKnownRealm && !(await this.isKnownRealm(realm))) {
      throw new AuthenticationError('issuer', `realm ${realm} belongs to no tenant`);
    }
    const failed = this.failedRealms.get(realm);
    if (failed) throw failureError(realm, failed, 'JWKS request failed recently; not retried yet');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwksFor(realm), {
        algorithms: ['RS256'],
        issuer,
        ...(this.audience !== undefined ? { audience: this.audience } : {}),
        clockTolerance: this.clockTolerance,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      const failure = jwksFailureOf(err);
      if (failure) {
        this.failedRealms.set(realm, failure);
        this.jwks.delete(realm);
        throw failureError(realm, failure, failure.message, err);
      }
      throw mapJoseError(err);
    }
    const typClaim = payload['typ'];
    if (!(typClaim === 'Bearer' || (typClaim === undefined && header.typ?.toLowerCase() === 'at+jwt'))) {
      throw new AuthenticationError('token-type', `not an access token (typ ${String(typClaim ?? header.typ)})`);
    }
    return principalFromPayload(realm, payload);
  }
}

/** A JWKS request that did not yield a key set: `status` is the HTTP status, 0 when none was received. */
interface JwksFailure {
  status: number;
  message: string;
}

/**
 * Raised by {@link fetchJwks}; jose passes errors of the fetch implementation through unchanged. Code
 * `JWKS_FETCH_FAILED`; `status` is the identity provider's HTTP status (0: not reached).
 */
class JwksFetchError extends CetateError {
  constructor(
    override readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('JWKS_FETCH_FAILED', message, options);
  }
}

/**
 * jose's JWKS fetch with the failures made explicit: transport errors and non-200 answers become
 * {@link JwksFetchError} (jose itself reports a non-200 answer as a bare `JOSEError`, indistinguishable
 * from a token problem). Timeouts stay `AbortSignal` TimeoutErrors so jose maps them to `JWKSTimeout`.
 */
async function fetchJwks(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError') throw err;
    throw new JwksFetchError(0, `cannot reach ${url}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new JwksFetchError(res.status, `JWKS ${url} answered HTTP ${res.status}`);
  }
  return res;
}

/** The JWKS failure behind a verification error, or `undefined` when the error is about the token. */
function jwksFailureOf(err: unknown): JwksFailure | undefined {
  if (err instanceof JwksFetchError) return { status: err.status, message: err.message };
  if (err instanceof joseErrors.JWKSTimeout) return { status: 0, message: 'JWKS request timed out' };
  if (err instanceof joseErrors.JWKSInvalid) return { status: 200, message: 'JWKS answer is not a JSON Web Key Set' };
  if (err instanceof joseErrors.JOSEError && err.message.startsWith('Failed to parse the JSON Web Key Set')) {
    return { status: 200, message: 'JWKS answer is not JSON' };
  }
  return undefined;
}

/** 404 (Keycloak: realm does not exist) → untrusted issuer (401); anything else → provider unavailable (503). */
function failureError(realm: string, f: JwksFailure, message: string, cause?: unknown): Error {
  if (f.status === 404) return new AuthenticationError('issuer', `realm ${realm} does not exist on the identity provider`, cause);
  return new IdentityProviderUnavailableError(`realm ${realm}: ${message}`, cause);
}

function mapJoseError(err: unknown): Error {
  if (err instanceof joseErrors.JWTExpired) return new AuthenticationError('expired', 'token expired', err);
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat') return new AuthenticationError('not-yet-valid', err.message, err);
    if (err.claim === 'aud') return new AuthenticationError('audience', err.message, err);
    if (err.claim === 'iss') return new AuthenticationError('issuer', err.message, err);
    return new AuthenticationError('claims', err.message, err);
  }
  if (
    err instanceof joseErrors.JWSSignatureVerificationFailed ||
    err instanceof joseErrors.JWKSNoMatchingKey ||
    err instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return new AuthenticationError('signature', err.message, err);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new AuthenticationError('algorithm', err.message, err);
  if (err instanceof joseErrors.JOSEError) {
    // A token problem jose has no finer class for (JWKS failures are handled before, by jwksFailureOf).
    return new AuthenticationError('issuer', err.message, err);
  }
  return new IdentityProviderUnavailableError('cannot verify the token against the realm JWKS', err);
}

/**
 * Maps a verified Keycloak access token payload to a {@link VerifiedPrincipal} (Keycloak claim
 * layout: `realm_access.roles`, `azp`, `preferred_username`, `service-account-<clientId>`).
 */
export function principalFromPayload(realm: string, payload: JWTPayload): VerifiedPrincipal {
  const realmAccess = payload['realm_access'] as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is string => typeof r === 'string') : [];
  const azp = typeof payload['azp'] === 'string' ? payload['azp'] : undefined;
  const clientIdClaim = typeof payload['client_id'] === 'string' ? payload['client_id'] : undefined;
  const clientId = azp ?? clientIdClaim;
  const preferred = typeof payload['preferred_username'] === 'string' ? payload['preferred_username'] : undefined;
  const serviceAccount =
    (clientId !== undefined && preferred === `${SERVICE_ACCOUNT_PREFIX}${clientId}`) ||
    (preferred === undefined && clientId !== undefined && payload.sub === clientId);
  return {
    realm,
    subject: payload.sub!,
    ...(clientId !== undefined ? { clientId } : {}),
    ...(preferred !== undefined && !serviceAccount ? { username: preferred } : {}),
    serviceAccount,
    roles,
    token: payload,
  };
}
