import { AsyncLocalStorage } from 'node:async_hooks';
import { NoTenantContextError } from './tenancy.errors.js';
import type { TenantRef } from './tenant-naming.js';

const storage = new AsyncLocalStorage<TenantRef>();

/**
 * Runs `fn` with `tenant` as the current tenant of this async flow (and of everything it awaits or
 * schedules). Concurrent flows never see each other's tenant (AsyncLocalStorage). Resolve the tenant
 * once per request/message (from the token's realm or `x-tenant-id`) and call this around the work.
 * @returns what `fn` returns.
 */
export function runInTenant<T>(tenant: TenantRef, fn: () => T): T {
  return storage.run(Object.freeze({ ...tenant }), fn);
}

/** The current tenant. @throws NoTenantContextError outside {@link runInTenant}. */
export function currentTenant(): TenantRef {
  const t = storage.getStore();
  if (!t) throw new NoTenantContextError();
  return t;
}

/** The current tenant, or `undefined` outside {@link runInTenant}. */
export function maybeCurrentTenant(): TenantRef | undefined {
  return storage.getStore();
}
