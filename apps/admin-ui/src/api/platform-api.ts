/**
 * Typed client of the platform-api endpoints the admin UI uses (README "HTTP API of platform-api"). Every call
 * sends `Authorization: Bearer <token>` from the shell's `getToken()` (refreshed by the shell) and turns a non-2xx
 * answer into an {@link ApiProblem}; a network failure becomes code `NETWORK`.
 */
import { ApiProblem, problemFromBody } from '@cetate/shared-ui';
import type { CreateTenantResult, IdentityUser, InvitedUser, TenantView } from './types.js';
import type { CreateTenantBody, InviteUserBody, TenantRealmRole } from '../model/validation.js';

/** `fetch` as the client needs it (the browser's, or a test's). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Platform API of one realm's caller. `apiBase` is e.g. `/api/platform` (the gateway strips it). */
export class PlatformApi {
  constructor(
    private readonly apiBase: string,
    private readonly getToken: () => Promise<string>,
    private readonly fetchFn: FetchLike = (input, init) => globalThis.fetch(input, init),
  ) {}

  /** `GET /v1/users?first=&max=` (tenant-admin): users of the caller's realm, by username; `max` 1..100. */
  listUsers(page: { first?: number; max?: number } = {}): Promise<IdentityUser[]> {
    const q = new URLSearchParams({ first: String(page.first ?? 0), max: String(page.max ?? 100) });
    return this.request('GET', `/v1/users?${q}`);
  }

  /** `POST /v1/users`: 201 with `temporaryPassword` (once). 409 `USER_EXISTS`. */
  inviteUser(body: InviteUserBody): Promise<InvitedUser> {
    return this.request('POST', '/v1/users', body);
  }

  /** `PATCH /v1/users/:id` `{ enabled?, roles? }`. 409 `USER_SELF_LOCKOUT`, 404 `USER_NOT_FOUND`. */
  updateUser(id: string, patch: { enabled?: boolean; roles?: TenantRealmRole[] }): Promise<IdentityUser> {
    return this.request('PATCH', `/v1/users/${encodeURIComponent(id)}`, patch);
  }

  /** `GET /v1/tenants` (realm `platform`, platform-operator): `{ items }` ordered by slug. */
  async listTenants(): Promise<TenantView[]> {
    const r = await this.request<{ items: TenantView[] }>('GET', '/v1/tenants');
    return r.items;
  }

  /** `GET /v1/tenants/:slug`: 404 `TENANT_NOT_FOUND` until the saga registered it. */
  getTenant(slug: string): Promise<TenantView> {
    return this.request('GET', `/v1/tenants/${encodeURIComponent(slug)}`);
  }

  /**
   * `POST /v1/tenants`: runs the saga synchronously (seconds). 400 `VALIDATION_FAILED`/`INVALID_TENANT`, 409
   * `TENANT_OPERATION_IN_PROGRESS`/`TENANT_STATE_CONFLICT`, 502 `PROVISIONING_STEP_FAILED`.
   */
  createTenant(body: CreateTenantBody): Promise<CreateTenantResult> {
    return this.request('POST', '/v1/tenants', body);
  }

  /** `POST /v1/tenants/:slug/suspend` or `/resume`. 409 `TENANT_STATE_CONFLICT` while provisioning. */
  setTenantSuspended(slug: string, suspended: boolean): Promise<TenantView> {
    return this.request('POST', `/v1/tenants/${encodeURIComponent(slug)}/${suspended ? 'suspend' : 'resume'}`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.getToken();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(`${this.apiBase.replace(/\/$/, '')}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new ApiProblem({ title: 'Network error', status: 0, code: 'NETWORK', detail: err instanceof Error ? err.message : String(err) });
    }
    const text = await res.text();
    if (!res.ok) throw new ApiProblem(problemFromBody(res.status, res.statusText, text));
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
