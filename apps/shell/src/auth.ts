import Keycloak from 'keycloak-js';
import type { ShellManifest } from '@cetate/shared-ui';

/**
 * The logged-in user of the shell (issue 6: keycloak-js, authorization code flow with PKCE S256, token kept
 * fresh). Keycloak JS adapter docs: `init({ onLoad: 'login-required', pkceMethod: 'S256' })` redirects to the
 * realm's login page when there is no session; `updateToken(minValidity)` refreshes the access token when it
 * expires within `minValidity` seconds.
 */
export interface Session {
  /** `preferred_username` of the access token, e.g. `ana.contabil`. */
  username: string;
  /** Realm roles (`realm_access.roles`), e.g. `['accountant', 'user', ...]`. */
  roles: string[];
  /**
   * A Bearer access token valid for at least {@link MIN_TOKEN_VALIDITY_S} more seconds (refreshed first when
   * not). When the refresh fails (session ended at the identity server) the browser is sent to the login page
   * and the promise rejects.
   */
  getToken(): Promise<string>;
  /** Ends the session at the identity server (RP-initiated logout) and comes back to the shell's `/`. */
  logout(): Promise<void>;
}

/** Seconds of validity a token handed out by {@link Session.getToken} has at least (ui-contract: `updateToken(30)`). */
export const MIN_TOKEN_VALIDITY_S = 30;

/** Realm roles and username of a decoded access token (`realm_access.roles`, `preferred_username`). */
export function sessionClaims(token: { preferred_username?: unknown; realm_access?: { roles?: unknown } } | undefined): {
  username: string;
  roles: string[];
} {
  const roles = token?.realm_access?.roles;
  return {
    username: typeof token?.preferred_username === 'string' ? token.preferred_username : '',
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
  };
}

/**
 * Logs in to `identity` (the manifest's `{ url, realm, clientId }`). Resolves once the user is authenticated;
 * without a session the page navigates to the login form (the promise then never settles in this page).
 *
 * @throws Error when keycloak-js cannot initialise (identity server unreachable, client unknown)
 */
export async function login(identity: ShellManifest['identity']): Promise<Session> {
  const keycloak = new Keycloak({ url: identity.url, realm: identity.realm, clientId: identity.clientId });
  const authenticated = await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false });
  if (!authenticated) {
    await keycloak.login();
    throw new Error('not authenticated');
  }
  const refresh = async (): Promise<string> => {
    try {
      await keycloak.updateToken(MIN_TOKEN_VALIDITY_S);
    } catch {
      await keycloak.login();
      throw new Error('session ended; logging in again');
    }
    if (!keycloak.token) throw new Error('no access token');
    return keycloak.token;
  };
  // refresh in the background too, so a token is fresh even between API calls
  keycloak.onTokenExpired = () => void refresh().catch(() => undefined);
  const claims = sessionClaims(keycloak.tokenParsed as Parameters<typeof sessionClaims>[0]);
  return {
    ...claims,
    getToken: refresh,
    logout: () => keycloak.logout({ redirectUri: `${window.location.origin}/` }),
  };
}
