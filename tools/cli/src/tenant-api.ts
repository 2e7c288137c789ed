import { ClientCredentialsTokenSource } from '@cetate/platform-identity';
import { ApiProblemError } from '@cetate/dev-stack';
import { apiReachable, describeError, sendConfigFromEnv } from './efactura-send.command.js';
import type { CliIo } from './cli-io.js';

/** Base URLs of the module APIs a command talks to, from the environment (defaults of `npm start`). */
export interface TenantApiUrls {
  /** `INVOICING_API_URL`, default http://127.0.0.1:3100. */
  invoicing: string;
  /** `DOCUMENTS_API_URL`, default http://127.0.0.1:3300. */
  documents: string;
}

/** A tenant's authenticated access to the module APIs: JSON calls with a client-credentials token of its realm. */
export interface TenantApiSession {
  urls: TenantApiUrls;
  /**
   * `method path` on `base` with an optional JSON body; the parsed JSON answer.
   * @throws ApiProblemError on a non-2xx answer (RFC 9457 body), fetch errors when unreachable.
   */
  json<T>(base: string, method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * Opens a {@link TenantApiSession} for `tenant` (= Keycloak realm) with the CLI's client credentials
 * (`CETATE_CLIENT_ID` / `CETATE_CLIENT_SECRET`, `KEYCLOAK_URL`), after checking that `mustReach` answers `/health`.
 * @returns the session, or `undefined` after printing on `io.err` what is wrong and how to fix it.
 */
export async function openTenantApi(tenant: string, env: NodeJS.ProcessEnv, io: CliIo, mustReach: Array<keyof TenantApiUrls>): Promise<TenantApiSession | undefined> {
  const cfg = sendConfigFromEnv(env);
  const urls: TenantApiUrls = { invoicing: cfg.apiUrl, documents: (env.DOCUMENTS_API_URL || 'http://127.0.0.1:3300').replace(/\/+$/, '') };
  for (const api of mustReach) {
    if (!(await apiReachable(urls[api]))) {
      io.err(`${api}-api is not reachable at ${urls[api]}: start the platform with npm start (or set ${api === 'invoicing' ? 'INVOICING_API_URL' : 'DOCUMENTS_API_URL'})`);
      return undefined;
    }
  }
  const creds = new ClientCredentialsTokenSource({
    tokenUrl: `${cfg.keycloakUrl}/realms/${encodeURIComponent(tenant)}/protocol/openid-connect/token`,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
  });
  try {
    await creds.getToken();
  } catch (err) {
    io.err(`cannot get a token for tenant ${tenant} from ${cfg.keycloakUrl}: ${describeError(err)}`);
    io.err('check the tenant slug (= realm), KEYCLOAK_URL and CETATE_CLIENT_ID/CETATE_CLIENT_SECRET; start the platform with npm start');
    return undefined;
  }
  return {
    urls,
    async json<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await creds.getToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as unknown) : {};
      if (!res.ok) throw new ApiProblemError(res.status, parsed as ApiProblemError['problem']);
      return parsed as T;
    },
  };
}

/** What `--tenant` must look like: a tenant slug (lowercase letters, digits, `-`; the Keycloak realm). */
export const TENANT_SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
