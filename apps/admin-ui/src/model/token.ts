/**
 * Reads the claims the UI needs from a Keycloak access token (a JWS, RFC 7515 compact form: the payload is the
 * second dot-separated part, base64url JSON). No verification: the API verifies every token; the UI only uses
 * `sub` to mark "you" in the user list and, in standalone development, the realm roles.
 */

/** Claims used by the UI; missing or malformed parts give undefined / empty. */
export interface TokenClaims {
  /** Keycloak user id, the same as `IdentityUser.id`. */
  sub?: string;
  preferredUsername?: string;
  /** `realm_access.roles` (Keycloak). */
  realmRoles: string[];
  /** Realm, the last path segment of `iss` (`.../realms/<realm>`). */
  realm?: string;
}

/** Decodes the payload of `token`; a value that is not a JWS gives `{ realmRoles: [] }`. */
export function tokenClaims(token: string): TokenClaims {
  const part = token.split('.')[1];
  if (!part) return { realmRoles: [] };
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const p = JSON.parse(new TextDecoder().decode(bytes)) as {
      sub?: unknown;
      preferred_username?: unknown;
      realm_access?: { roles?: unknown };
      iss?: unknown;
    };
    const roles = Array.isArray(p.realm_access?.roles) ? p.realm_access.roles.filter((r): r is string => typeof r === 'string') : [];
    const realm = typeof p.iss === 'string' ? /\/realms\/([^/]+)\/?$/.exec(p.iss)?.[1] : undefined;
    return {
      ...(typeof p.sub === 'string' ? { sub: p.sub } : {}),
      ...(typeof p.preferred_username === 'string' ? { preferredUsername: p.preferred_username } : {}),
      realmRoles: roles,
      ...(realm ? { realm } : {}),
    };
  } catch {
    return { realmRoles: [] };
  }
}

/** Which screens a user sees: users for `tenant-admin`, tenants for `platform-operator`. */
export function adminScreens(roles: readonly string[]): { users: boolean; tenants: boolean } {
  return { users: roles.includes('tenant-admin'), tenants: roles.includes('platform-operator') };
}
