import { SpanStatusCode, trace } from '@opentelemetry/api';
import { CetateError } from '@cetate/shared-errors';
import { AnafAuthError, AnafProtocolError } from './errors.js';
import { checkStatus, sendRaw } from './http.js';
import { parseJsonBody } from './parsers.js';

/** OAuth tokens of one company (ANAF OAuth: `access_token`, `refresh_token`, `expires_in`). */
export interface AnafTokenSet {
  accessToken: string;
  /** The newest refresh token (keep it: ANAF-EFACTURA.md "OAuth"). */
  refreshToken: string;
  /** Instant the access token expires (`now + expires_in` seconds). */
  expiresAt: Date;
  tokenType: string;
}

/** Options of {@link AnafOAuthClient}. */
export interface AnafOAuthClientOptions {
  /** e.g. `https://logincert.anaf.ro/anaf-oauth2/v1` or `http://127.0.0.1:8095/anaf-oauth2/v1`. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** How client credentials are sent to the token endpoint (default `basic`; ANAF accepts both). */
  clientAuth?: 'basic' | 'body';
  /** Request timeout in ms (default 30000). */
  timeoutMs?: number;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

/**
 * ANAF OAuth 2.0 client (ANAF-EFACTURA.md "OAuth"): builds the authorize URL, exchanges the code,
 * refreshes tokens. Token endpoint answers: 200 JSON; 400/401 → AnafAuthError (`oauthError` =
 * OAuth `error`); 5xx → AnafHttpError; timeout → AnafTimeoutError; bad JSON → AnafProtocolError.
 */
export class AnafOAuthClient {
  private readonly base: string;
  private readonly now: () => number;

  constructor(private readonly opts: AnafOAuthClientOptions) {
    this.base = opts.oauthBaseUrl.replace(/\/+$/, '');
    this.now = opts.now ?? Date.now;
  }

  /** URL to send the company representative to (certificate login at ANAF); JWT tokens requested. */
  authorizeUrl(state?: string): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: this.opts.clientId,
      redirect_uri: this.opts.redirectUri,
      token_content_type: 'jwt',
    });
    if (state) q.set('state', state);
    return `${this.base}/authorize?${q}`;
  }

  /** `grant_type=authorization_code`. */
  exchangeCode(code: string): Promise<AnafTokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.opts.redirectUri, token_content_type: 'jwt' });
  }

  /**
   * `grant_type=refresh_token`. If ANAF answers without a new refresh token, the given one is kept.
   */
  async refresh(refreshToken: string): Promise<AnafTokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
  }

  /** `revoke` of an access or refresh token (best effort). */
  async revoke(token: string): Promise<void> {
    const ans = await sendRaw({
      endpoint: 'oauth.token',
      method: 'POST',
      url: `${this.base}/revoke`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.basicHeader() },
      body: new URLSearchParams({ token, ...this.bodyCreds() }).toString(),
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      outcomeUnknownOnLoss: false,
    });
    checkStatus('oauth.token', ans, false);
  }

  private basicHeader(): Record<string, string> {
    if (this.opts.clientAuth === 'body') return {};
    const creds = `${encodeURIComponent(this.opts.clientId)}:${encodeURIComponent(this.opts.clientSecret)}`;
    return { Authorization: `Basic ${Buffer.from(creds).toString('base64')}` };
  }

  private bodyCreds(): Record<string, string> {
    return this.opts.clientAuth === 'body' ? { client_id: this.opts.clientId, client_secret: this.opts.clientSecret } : {};
  }

  private token(form: Record<string, string>, previousRefresh?: string): Promise<AnafTokenSet> {
    return trace.getTracer('@cetate/anaf-client').startActiveSpan('anaf.oauth.token', async (span) => {
      span.setAttribute('oauth.grant_type', form['grant_type'] ?? '');
      try {
        const ans = await sendRaw({
          endpoint: 'oauth.token',
          method: 'POST',
          url: `${this.base}/token`,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...this.basicHeader() },
          body: new URLSearchParams({ ...form, ...this.bodyCreds() }).toString(),
          timeoutMs: this.opts.timeoutMs ?? 30_000,
          outcomeUnknownOnLoss: false,
        });
        span.setAttribute('http.response.status_code', ans.status);
        if (ans.status === 400 || ans.status === 401) {
          let error: string | undefined;
          let description = ans.text().slice(0, 200);
          try {
            const j = parseJsonBody(ans.text(), 'oauth.token');
            error = typeof j['error'] === 'string' ? j['error'] : undefined;
            if (typeof j['error_description'] === 'string') description = j['error_description'];
          } catch {
            /* non-JSON refusal */
          }
          throw new AnafAuthError('oauth.token', `token refused: ${error ?? ''} ${description}`.trim(), ans.status, error);
        }
        checkStatus('oauth.token', ans, false);
        const j = parseJsonBody(ans.text(), 'oauth.token');
        const accessToken = j['access_token'];
        const expiresIn = Number(j['expires_in']);
        if (typeof accessToken !== 'string' || !accessToken || !Number.isFinite(expiresIn)) {
          throw new AnafProtocolError('oauth.token', 'token answer without access_token/expires_in', ans.text());
        }
        const refreshToken = typeof j['refresh_token'] === 'string' && j['refresh_token'] ? j['refresh_token'] : previousRefresh;
        if (!refreshToken) throw new AnafProtocolError('oauth.token', 'token answer without refresh_token', ans.text());
        span.setStatus({ code: SpanStatusCode.OK });
        return {
          accessToken,
          refreshToken,
          expiresAt: new Date(this.now() + expiresIn * 1000),
          tokenType: typeof j['token_type'] === 'string' ? j['token_type'] : 'Bearer',
        };
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });
  }
}

/**
 * Where a company's tokens live (production: the secrets port, `tenants/<slug>/anaf/<cif>`).
 * `save` must persist the newest refresh token before it is used again.
 */
export interface AnafTokenStore {
  load(): Promise<AnafTokenSet | undefined>;
  save(tokens: AnafTokenSet): Promise<void>;
}

/** {@link AnafTokenStore} in process memory (tests, single-process dev). */
export class InMemoryAnafTokenStore implements AnafTokenStore {
  constructor(private tokens?: AnafTokenSet) {}
  async load(): Promise<AnafTokenSet | undefined> {
    return this.tokens;
  }
  async save(tokens: AnafTokenSet): Promise<void> {
    this.tokens = tokens;
  }
}

/**
 * Thrown when no tokens are stored: the company must authorise again (code `ANAF_AUTH_REQUIRED`). A
 * {@link CetateError} but not an `AnafError`: no ANAF call was made.
 */
export class AnafAuthorizationRequiredError extends CetateError {
  declare readonly code: 'ANAF_AUTH_REQUIRED';
  constructor(message = 'no ANAF tokens stored: the company must authorise the application') {
    super('ANAF_AUTH_REQUIRED', message);
  }
}

/**
 * Mutual exclusion of token refreshes ACROSS processes (e.g. a PostgreSQL advisory lock keyed by the
 * token's secret path, `@cetate/invoicing-efactura`'s `postgresRefreshLock`): `run` calls `fn` while no
 * other holder of the same lock runs, and releases the lock when `fn` settles. ANAF rotates refresh
 * tokens (ANAF-EFACTURA.md "What changed": the old one stops working), so two processes must never
 * refresh with the same refresh token.
 */
export interface RefreshLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** Options of {@link RefreshingTokenProvider}. */
export interface RefreshingTokenProviderOptions {
  /** Refresh this long before the access token's `expiresAt`, ms (default 5 min). */
  refreshSkewMs?: number;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
  /** Cross-process lock around each refresh (default none: single-flight in this process only). */
  lock?: RefreshLock;
}

/**
 * Access-token provider for {@link AnafClient}: returns the stored access token, refreshing it
 * `refreshSkewMs` (default 5 min) before it expires, so an expiring access token never reaches ANAF
 * (no 401 for it). Refreshes are single-flight in the process and, with `lock`, exclusive across
 * processes: inside the lock the tokens are loaded again, and when another process already refreshed
 * (the stored access token changed and is valid) that token is used, else the stored (newest) refresh
 * token is spent and the answer saved before the lock is released. The newest refresh token is thus
 * never reused. A refused refresh (AnafAuthError, OAuth `invalid_grant`) means re-authorisation.
 */
export class RefreshingTokenProvider {
  private inflight: Promise<AnafTokenSet> | undefined;
  private readonly skew: number;
  private readonly now: () => number;
  private readonly lock: RefreshLock | undefined;

  constructor(
    private readonly oauth: AnafOAuthClient,
    private readonly store: AnafTokenStore,
    opts: RefreshingTokenProviderOptions = {},
  ) {
    this.skew = opts.refreshSkewMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.lock = opts.lock;
  }

  /** True when `t`'s access token is still good for `refreshSkewMs`. */
  private fresh(t: AnafTokenSet): boolean {
    return t.expiresAt.getTime() - this.skew > this.now();
  }

  /** A valid access token. @throws AnafAuthorizationRequiredError, AnafAuthError, AnafHttpError. */
  async getAccessToken(): Promise<string> {
    const t = await this.store.load();
    if (!t) throw new AnafAuthorizationRequiredError();
    if (this.fresh(t)) return t.accessToken;
    return (await this.refreshNow(t)).accessToken;
  }

  /**
   * Refreshes now (single-flight; under the lock when one is set) and stores the result.
   * @param stale the tokens the caller found expired (or whose access token ANAF refused with 401): when the
   *   store, read again under the lock, holds another access token that is still fresh, that one is returned and
   *   nothing is refreshed. Without `stale`, a refresh always happens.
   * @throws AnafAuthorizationRequiredError (nothing stored), AnafAuthError (refresh refused), AnafHttpError.
   */
  async refreshNow(stale?: AnafTokenSet): Promise<AnafTokenSet> {
    if (!this.inflight) {
      const step = async () => {
        const t = this.lock || !stale ? await this.store.load() : stale;
        if (!t) throw new AnafAuthorizationRequiredError();
        if (stale && t.accessToken !== stale.accessToken && this.fresh(t)) return t; // another process refreshed
        const next = await this.oauth.refresh(t.refreshToken);
        await this.store.save(next);
        return next;
      };
      this.inflight = (this.lock ? this.lock.run(step) : step()).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** The provider as the `tokenProvider` function {@link AnafClient} expects. */
  asTokenProvider(): () => Promise<string> {
    return () => this.getAccessToken();
  }
}

