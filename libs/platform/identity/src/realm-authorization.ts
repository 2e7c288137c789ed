import { AuthenticationError, ForbiddenError } from './errors.js';
import type { TokenVerifier, VerifiedPrincipal } from './realm-token-verifier.js';

/** Maps a Keycloak realm to the tenant it belongs to (tenant registry lookup). */
export interface RealmTenantResolver<T extends { slug: string } = { slug: string }> {
  /** The tenant whose realm is `realm`, or `null` when the realm belongs to no tenant. */
  tenantForRealm(realm: string): Promise<T | null>;
}

/** What a request must satisfy; see {@link authenticateRequest}. */
export interface AccessRequirements {
  /** Value of the `Authorization` header (RFC 6750 §2.1), if any. */
  authorization: string | string[] | undefined;
  /** The `:tenant` route parameter, if the route has one. */
  routeTenant?: string | undefined;
  /** Realm roles of which the principal needs at least one (empty/undefined: any authenticated principal). */
  anyOfRoles?: readonly string[] | undefined;
}

/** Outcome of a successful {@link authenticateRequest}. */
export interface AuthenticatedRequest<T extends { slug: string } = { slug: string }> {
  principal: VerifiedPrincipal;
  tenant: T;
}

/**
 * Extracts the token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; scheme is
 * case-insensitive, RFC 9110 §11.1). Throws {@link AuthenticationError} `missing`/`malformed`.
 */
export function extractBearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '') throw new AuthenticationError('missing', 'no Authorization header');
  if (Array.isArray(header)) throw new AuthenticationError('malformed', 'several Authorization headers');
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!m) throw new AuthenticationError('malformed', 'Authorization is not a Bearer token');
  return m[1]!;
}

/**
 * Resolves the tenant of a verified principal from its realm and, when the route names a tenant,
 * requires it to be that tenant (ARCHITECTURE §2: "a token of realm A never reads tenant B").
 * Throws {@link ForbiddenError} when the realm maps to no tenant or to another one.
 */
export async function resolveTenantForPrincipal<T extends { slug: string }>(
  principal: VerifiedPrincipal,
  resolver: RealmTenantResolver<T>,
  routeTenant?: string,
): Promise<T> {
  const tenant = await resolver.tenantForRealm(principal.realm);
  if (!tenant) throw new ForbiddenError(`realm ${principal.realm} belongs to no tenant`);
  if (routeTenant !== undefined && routeTenant !== tenant.slug) {
    throw new ForbiddenError(`token of realm ${principal.realm} (tenant ${tenant.slug}) used for tenant ${routeTenant}`);
  }
  return tenant;
}

/**
 * Requires at least one of `anyOf` among the principal's realm roles (Keycloak realm roles; an empty
 * list requires nothing). Throws {@link ForbiddenError}.
 */
export function assertAnyRole(principal: VerifiedPrincipal, anyOf: readonly string[] | undefined): void {
  if (!anyOf || anyOf.length === 0) return;
  if (!anyOf.some((r) => principal.roles.includes(r))) {
    throw new ForbiddenError(`principal ${principal.subject} of realm ${principal.realm} lacks any of roles ${anyOf.join(', ')}`);
  }
}

/**
 * The whole request check, framework-free: bearer extraction -> token verification -> tenant
 * resolution and route-tenant match -> role check. Throws {@link AuthenticationError} (401) or
 * {@link ForbiddenError} (403), or what the verifier/resolver throw.
 */
export async function authenticateRequest<T extends { slug: string }>(
  req: AccessRequirements,
  verifier: TokenVerifier,
  resolver: RealmTenantResolver<T>,
): Promise<AuthenticatedRequest<T>> {
  const token = extractBearerToken(req.authorization);
  const principal = await verifier.verify(token);
  const tenant = await resolveTenantForPrincipal(principal, resolver, req.routeTenant);
  assertAnyRole(principal, req.anyOfRoles);
  return { principal, tenant };
}
