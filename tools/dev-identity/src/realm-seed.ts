import { z } from 'zod';

/**
 * Seed data of one realm of the dev identity server, mirroring Keycloak's realm model
 * (realm -> clients, users, realm roles). Validated with {@link realmSeedSchema}.
 *
 * - `clients[].grants`: OAuth 2.0 grant types the client may use (RFC 6749 §4.1 authorization_code,
 *   §4.4 client_credentials, §6 refresh_token).
 * - `clients[].public`: a public client (Keycloak "Client authentication: off"); it authenticates with
 *   `token_endpoint_auth_method=none` and must use PKCE S256 (RFC 7636). Confidential clients use
 *   HTTP Basic with `clientSecret` (RFC 6749 §2.3.1).
 * - `clients[].redirectUris`: exact URIs, or Keycloak-style wildcards ending in `*` (prefix match).
 * - `clients[].webOrigins`: origins allowed to call the token/revocation/introspection endpoints from a browser
 *   (CORS), Keycloak's "Web origins": `+` = the origins of the redirect URIs, `*` = any, else exact origins.
 * - `clients[].serviceAccountRoles`: realm roles put into `realm_access.roles` of client_credentials
 *   tokens (Keycloak "service account roles").
 * - `users[].roles`: realm roles put into `realm_access.roles` of the user's access tokens.
 * - `accessTokenTtlSec`: access token lifetime in seconds (Keycloak "Access Token Lifespan", default 300).
 * - `audience`: `aud` of issued access tokens (default `cetate-api`).
 */
export interface RealmSeed {
  realm: string;
  clients: ClientSeed[];
  users: UserSeed[];
  /** Realm roles known to the realm (informational; roles used by users/clients are added implicitly). */
  roles?: string[];
  accessTokenTtlSec?: number;
  audience?: string;
}

/** One client of a {@link RealmSeed}. */
export interface ClientSeed {
  clientId: string;
  clientSecret?: string;
  redirectUris?: string[];
  webOrigins?: string[];
  grants: GrantType[];
  public?: boolean;
  serviceAccountRoles?: string[];
}

/** One user of a {@link RealmSeed}; `password` is compared in constant time, never hashed (dev only). */
export interface UserSeed {
  username: string;
  password: string;
  email?: string;
  roles: string[];
}

/** Grant types supported by the dev server (RFC 6749). */
export type GrantType = 'client_credentials' | 'authorization_code' | 'refresh_token';

/** Realm names accepted in URLs: Keycloak-compatible, safe as a path segment. */
export const REALM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const grantSchema = z.enum(['client_credentials', 'authorization_code', 'refresh_token']);

/** zod schema of {@link ClientSeed}; refines: confidential clients need a secret, public ones no client_credentials. */
export const clientSeedSchema = z
  .object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    redirectUris: z.array(z.string().min(1)).optional(),
    webOrigins: z.array(z.string().min(1)).optional(),
    grants: z.array(grantSchema).min(1),
    public: z.boolean().optional(),
    serviceAccountRoles: z.array(z.string().min(1)).optional(),
  })
  .refine((c) => c.public === true || c.clientSecret !== undefined, {
    message: 'a confidential client needs clientSecret',
  })
  .refine((c) => !(c.public === true && c.grants.includes('client_credentials')), {
    message: 'a public client cannot use client_credentials (RFC 6749 §4.4: confidential clients only)',
  })
  .refine((c) => !c.grants.includes('authorization_code') || (c.redirectUris?.length ?? 0) > 0, {
    message: 'authorization_code needs at least one redirect URI',
  });

/** zod schema of {@link RealmSeed}. */
export const realmSeedSchema = z.object({
  realm: z.string().regex(REALM_NAME_PATTERN),
  clients: z.array(clientSeedSchema),
  users: z.array(
    z.object({
      username: z.string().min(1),
      password: z.string().min(1),
      email: z.string().email().optional(),
      roles: z.array(z.string().min(1)),
    }),
  ),
  roles: z.array(z.string().min(1)).optional(),
  accessTokenTtlSec: z.number().int().positive().optional(),
  audience: z.string().min(1).optional(),
});

/** zod schema of a seed file: `{ "realms": RealmSeed[] }`. */
export const seedFileSchema = z.object({ realms: z.array(realmSeedSchema) });

/** Parses and validates a seed; throws a `ZodError` listing every problem. */
export function parseRealmSeed(input: unknown): RealmSeed {
  return realmSeedSchema.parse(input);
}
