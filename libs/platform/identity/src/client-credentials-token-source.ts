import { TokenRequestError } from './errors.js';

/** Options of {@link ClientCredentialsTokenSource}. */
export interface ClientCredentialsTokenSourceOptions {
  /** Token endpoint, e.g. `http://127.0.0.1:8090/realms/demo/protocol/openid-connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Optional `scope` parameter (space-separated). */
  scope?: string;
  /** Renew this many seconds before `expires_in` runs out; default 30 (capped at half the lifetime). */
  refreshSkewSec?: number;
  /** Request timeout in milliseconds; default 10000. */
  timeoutMs?: number;
  /** Injected clock (ms since epoch) for tests; default `Date.now`. */
  now?: () => number;
}

/** Token endpoint success response (RFC 6749 §5.1). */
interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
}

/**
 * Obtains access tokens with the OAuth 2.0 client credentials grant (RFC 6749 §4.4), authenticating
 * with HTTP Basic (RFC 6749 §2.3.1: id and secret form-urlencoded, then base64), and caches the token
 * until `refreshSkewSec` before it expires. Concurrent callers share one in-flight request.
 * Errors: {@link TokenRequestError} (`httpStatus`, `oauthError` from RFC 6749 §5.2).
 */
export class ClientCredentialsTokenSource {
  private cached: { token: string; renewAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: ClientCredentialsTokenSourceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** A valid access token (cached or fresh). */
  async getToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Drops the cached token (e.g. after the API answered 401). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.opts;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) body.set('scope', scope);
    const started = this.now();
    let res: Response;
    try {
      res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new TokenRequestError(`token request to ${tokenUrl} failed`, 0, undefined, err);
    }
    const json = (await res.json().catch(() => undefined)) as (Partial<TokenResponse> & { error?: string; error_description?: string }) | undefined;
    if (!res.ok || !json || typeof json.access_token !== 'string') {
      throw new TokenRequestError(
        `token endpoint answered ${res.status}${json?.error ? ` ${json.error}` : ''}${json?.error_description ? `: ${json.error_description}` : ''}`,
        res.status,
        json?.error,
      );
    }
    const lifetimeSec = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 60;
    const skewSec = Math.min(this.opts.refreshSkewSec ?? 30, lifetimeSec / 2);
    this.cached = { token: json.access_token, renewAt: started + (lifetimeSec - skewSec) * 1000 };
    return json.access_token;
  }
}
