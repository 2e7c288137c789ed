import type { Request } from 'express';
import type { AuthenticatedHttpRequest } from '@cetate/platform-identity';
import type { Actor, TenantInfo } from './ports.js';

/** DI token of the {@link TenantInfoResolver}. */
export const TENANT_INFO_RESOLVER = Symbol('TENANT_INFO_RESOLVER');

/** Turns the tenant the auth guard attached to the request (from the token's realm) into `TenantInfo`. */
export interface TenantInfoResolver {
  resolve(req: Request): Promise<TenantInfo>;
}

/** Who made the request, from the verified token the guard attached. */
export function actorOf(req: Request): Actor {
  const p = (req as Request & AuthenticatedHttpRequest).principal;
  return { subject: p?.subject ?? 'anonymous', username: p?.username, clientId: p?.clientId };
}
