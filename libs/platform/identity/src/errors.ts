import { DomainError } from '@cetate/platform-observability';

/** Why a token was refused (for logs and tests; the client sees a generic detail). */
export type AuthenticationFailure =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'issuer'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'audience'
  | 'claims'
  | 'token-type';

/**
 * The request carries no valid access token: missing, malformed, wrong algorithm, untrusted issuer,
 * bad signature, expired, not yet valid, wrong audience (RFC 6750 §3.1 `invalid_token`).
 * Code `AUTH_INVALID_TOKEN`, HTTP 401 (rendered as RFC 9457 problem+json by the observability filter).
 */
export class AuthenticationError extends DomainError {
  /** Machine-readable reason (never sent to clients). */
  readonly reason: AuthenticationFailure;

  constructor(reason: AuthenticationFailure, message: string, cause?: unknown) {
    super('AUTH_INVALID_TOKEN', message, {
      status: 401,
      title: 'Invalid or missing access token',
      detail: reason === 'expired' ? 'The access token has expired' : 'The access token is missing or invalid',
      cause,
    });
    this.reason = reason;
  }
}

/**
 * The token is valid but does not allow this request: its realm maps to no tenant, to another tenant
 * than the route's `:tenant`, or it lacks a required realm role (RFC 6750 §3.1 `insufficient_scope`
 * family). Code `AUTH_FORBIDDEN`, HTTP 403.
 */
export class ForbiddenError extends DomainError {
  constructor(message: string, detail = 'You are not allowed to perform this request') {
    super('AUTH_FORBIDDEN', message, { status: 403, title: 'Forbidden', detail });
  }
}

/**
 * The identity provider (its JWKS endpoint) cannot be reached, so no token can be checked.
 * Code `AUTH_PROVIDER_UNAVAILABLE`, HTTP 503.
 */
export class IdentityProviderUnavailableError extends DomainError {
  constructor(message: string, cause?: unknown) {
    super('AUTH_PROVIDER_UNAVAILABLE', message, {
      status: 503,
      title: 'Identity provider unavailable',
      detail: 'The identity provider cannot be reached; try again later',
      cause,
    });
  }
}

/**
 * A token request to an OAuth 2.0 token endpoint failed (RFC 6749 §5.2 error response or transport
 * error). `status` is the HTTP status (0 for transport errors), `oauthError` the `error` member.
 * Code `AUTH_TOKEN_REQUEST_FAILED`, HTTP 502 when surfaced by an API.
 */
export class TokenRequestError extends DomainError {
  readonly httpStatus: number;
  readonly oauthError?: string;

  constructor(message: string, httpStatus: number, oauthError?: string, cause?: unknown) {
    super('AUTH_TOKEN_REQUEST_FAILED', message, { status: 502, cause });
    this.httpStatus = httpStatus;
    if (oauthError !== undefined) this.oauthError = oauthError;
  }
}
