import type { AnafTokenSet, AnafTokenStore } from '@cetate/anaf-client';
import { assertSecretPath, type SecretStore, type SecretValue } from '@cetate/platform-secrets';

/** Secret path of a company's ANAF OAuth tokens: `anaf/oauth/<id>` (`default` = the tenant's own authorisation). */
export function anafTokenSecretPath(id = 'default'): string {
  const path = `anaf/oauth/${id}`;
  assertSecretPath(path);
  return path;
}

/**
 * The secret layout of one ANAF authorisation (all strings, as KV v2 stores them): `access_token`,
 * `refresh_token` (absent when ANAF gave none), `token_type`, and ISO-8601 instants `expires_at`,
 * `authorized_at` (start of ANAF's ~90-day authorisation) and `updated_at` (last write).
 */
export interface AnafTokenSecret extends SecretValue {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_at: string;
  authorized_at: string;
  updated_at: string;
}

/**
 * {@link AnafTokenStore} behind the secrets port (issue 5 point 5: no ANAF token in clear in any
 * database): the tenant's secret `anaf/oauth/<id>`. Same semantics as the former `efactura.anaf_token`
 * row: `save` (a refresh) keeps the newest refresh token ANAF returned (ANAF-EFACTURA.md "OAuth") and
 * keeps `authorized_at`; `saveAuthorization` (a code exchange) sets `authorized_at` to now.
 * The read-modify-write of `save` is not atomic by itself: refreshes are serialised across processes by
 * `LockedAnafTokenProvider` (PostgreSQL advisory lock keyed by the secret path), which reads the tokens again
 * under the lock, so the newest refresh token is the one stored and spent next.
 * @throws SecretStoreError from the store (404 when the tenant has no data key: provisioning's secrets step).
 */
export class SecretStoreAnafTokenStore implements AnafTokenStore {
  private readonly path: string;

  constructor(
    private readonly secrets: SecretStore,
    private readonly tenant: string,
    id = 'default',
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = anafTokenSecretPath(id);
  }

  /** The stored tokens, or `undefined` when the company has not authorised the application yet. */
  async load(): Promise<AnafTokenSet | undefined> {
    const s = await this.secrets.get(this.tenant, this.path);
    if (!s || !s.refresh_token || !s.access_token || !s.expires_at) return undefined;
    return { accessToken: s.access_token, refreshToken: s.refresh_token, expiresAt: new Date(s.expires_at), tokenType: s.token_type || 'Bearer' };
  }

  /** Stores refreshed tokens; `authorized_at` is kept (now when there was none). */
  async save(t: AnafTokenSet): Promise<void> {
    const prev = await this.secrets.get(this.tenant, this.path);
    await this.write(t, prev?.authorized_at);
  }

  /** Stores the tokens of a new authorisation (code exchange): `authorized_at` becomes now. */
  async saveAuthorization(t: AnafTokenSet): Promise<void> {
    await this.write(t, undefined);
  }

  private async write(t: AnafTokenSet, authorizedAt: string | undefined): Promise<void> {
    const now = this.now().toISOString();
    const value: AnafTokenSecret = {
      access_token: t.accessToken,
      refresh_token: t.refreshToken,
      token_type: t.tokenType || 'Bearer',
      expires_at: t.expiresAt.toISOString(),
      authorized_at: authorizedAt ?? now,
      updated_at: now,
    };
    await this.secrets.put(this.tenant, this.path, value);
  }
}
