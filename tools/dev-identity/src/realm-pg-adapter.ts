import type { ClientRow, IdentityStore } from './store.js';

/** Stored oidc-provider model payload (opaque but for the index fields). */
type Payload = Record<string, unknown> & { consumed?: number };

/** Extra client metadata (oidc-provider `extraClientMetadata`) carrying Keycloak's PKCE attribute. */
export const PKCE_S256_METADATA = 'cetate_pkce_s256';
/** Extra client metadata carrying Keycloak's `webOrigins` (CORS of the client's browser calls). */
export const WEB_ORIGINS_METADATA = 'cetate_web_origins';

/**
 * oidc-provider client metadata (OpenID Connect Dynamic Client Registration 1.0 §2 names) of a
 * Keycloak-style client row:
 * - public client (Keycloak "Client authentication: off") → `token_endpoint_auth_method=none`;
 *   confidential → `client_secret_basic` (oidc-provider accepts `client_secret_post` for it too,
 *   as Keycloak does).
 * - `standardFlowEnabled` with redirect URIs → `authorization_code` + `refresh_token`.
 * - `serviceAccountsEnabled` (confidential only) → `client_credentials` (RFC 6749 §4.4).
 * - attribute `pkce.code.challenge.method=S256` → PKCE required (public clients always).
 * - `webOrigins` → {@link WEB_ORIGINS_METADATA} (read by the realm's `clientBasedCORS`).
 * Disabled clients have no metadata (they do not exist for the provider).
 */
export function clientMetadata(c: ClientRow): Record<string, unknown> | undefined {
  if (!c.enabled) return undefined;
  const codeFlow = c.standardFlowEnabled && c.redirectUris.length > 0;
  const grants: string[] = codeFlow ? ['authorization_code', 'refresh_token'] : [];
  if (!c.publicClient && c.serviceAccountsEnabled) grants.push('client_credentials');
  return {
    client_id: c.clientId,
    ...(c.publicClient
      ? { token_endpoint_auth_method: 'none' }
      : { client_secret: c.secret ?? '', token_endpoint_auth_method: 'client_secret_basic' }),
    grant_types: grants,
    response_types: codeFlow ? ['code'] : [],
    redirect_uris: codeFlow ? c.redirectUris : [],
    post_logout_redirect_uris: codeFlow ? c.redirectUris : [],
    [PKCE_S256_METADATA]: c.attributes['pkce.code.challenge.method'] === 'S256',
    [WEB_ORIGINS_METADATA]: c.webOrigins,
  };
}

/**
 * Creates an oidc-provider storage adapter class (oidc-provider "Adapter" interface: upsert, find,
 * findByUid, findByUserCode, consume, destroy, revokeByGrantId) over PostgreSQL for ONE realm, so
 * sessions, grants, codes, interactions and refresh tokens survive a restart. Model `Client` is read
 * from the realm's clients table (so clients created or changed through the admin API are live at
 * once); other models are sealed payloads with expiry (see {@link IdentityStore.upsertPayload}).
 */
export function createRealmPgAdapter(store: IdentityStore, realm: string) {
  return class RealmPgAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed through the admin API');
      await store.upsertPayload(realm, this.model, id, payload, expiresIn);
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === 'Client') {
        const client = await store.getClientByClientId(realm, id);
        return client ? clientMetadata(client) : undefined;
      }
      return withConsumed(await store.findPayload(realm, this.model, id));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return withConsumed(await store.findPayloadByUid(realm, this.model, uid));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return withConsumed(await store.findPayloadByUserCode(realm, this.model, userCode));
    }

    async consume(id: string): Promise<void> {
      await store.consumePayload(realm, this.model, id);
    }

    async destroy(id: string): Promise<void> {
      await store.destroyPayload(realm, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeGrant(realm, grantId);
    }
  };
}

function withConsumed(found: { payload: Record<string, unknown>; consumedAt: Date | null } | undefined): Payload | undefined {
  if (!found) return undefined;
  return found.consumedAt ? { ...found.payload, consumed: Math.floor(found.consumedAt.getTime() / 1000) } : found.payload;
}
