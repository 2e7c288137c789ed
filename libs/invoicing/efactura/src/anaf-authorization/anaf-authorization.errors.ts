import { DomainError } from '@cetate/platform-observability';

/** 400: the company to add is not valid (CUI control digit, empty name); `errors` name the field. */
export class AnafCompanyInvalidError extends DomainError {
  constructor(path: 'cif' | 'name', message: string) {
    super('ANAF_COMPANY_INVALID', `${message} Nothing was stored.`, { status: 400, errors: [{ path, message }] });
  }
}

/** 404: the tenant has no company with that CIF (add it first: `POST /v1/anaf/companies`). */
export class AnafCompanyNotFoundError extends DomainError {
  constructor(cif: string) {
    super('ANAF_COMPANY_NOT_FOUND', `No company with CIF ${cif} in this tenant; add it first (POST /v1/anaf/companies).`, { status: 404 });
  }
}

/**
 * 400: the OAuth `state` of an ANAF callback is not a pending authorisation of this platform: `unknown` (never issued,
 * or already used: a state is single use) or `expired` (older than 10 minutes). Start the authorisation again.
 */
export class AnafOAuthStateError extends DomainError {
  constructor(readonly reason: 'unknown' | 'expired') {
    super(
      'ANAF_OAUTH_STATE_INVALID',
      reason === 'expired'
        ? 'This ANAF authorisation link has expired (10 minutes); start the authorisation again.'
        : 'This ANAF authorisation is unknown or was already completed; start the authorisation again.',
      { status: 400, title: 'Invalid OAuth state' },
    );
  }
}

/**
 * 400: ANAF redirected back with an OAuth `error` (RFC 6749 §4.1.2.1, e.g. `access_denied`: the certificate holder
 * cancelled or has no right) instead of a code. Nothing was stored; the company keeps its previous status.
 */
export class AnafOAuthDeniedError extends DomainError {
  constructor(cif: string, readonly oauthError: string, description?: string) {
    super('ANAF_OAUTH_DENIED', `ANAF did not authorise CIF ${cif}: ${oauthError}${description ? ` (${description.slice(0, 200)})` : ''}.`, { status: 400 });
  }
}

/** 502: ANAF's token endpoint refused the authorisation code (expired, already used, or a client misconfiguration). */
export class AnafOAuthCodeRefusedError extends DomainError {
  constructor(cif: string, cause: unknown) {
    super('ANAF_OAUTH_CODE_REFUSED', `ANAF refused the authorisation code for CIF ${cif}; start the authorisation again.`, { status: 502, cause });
  }
}

/** 503: this process has no ANAF OAuth client configured (ANAF_OAUTH_URL, ANAF_CLIENT_ID, ANAF_CLIENT_SECRET, ANAF_REDIRECT_URI). */
export class AnafOAuthNotConfiguredError extends DomainError {
  constructor() {
    super('ANAF_OAUTH_NOT_CONFIGURED', 'ANAF authorisation is not configured on this server (ANAF OAuth client and secret store).', { status: 503 });
  }
}
