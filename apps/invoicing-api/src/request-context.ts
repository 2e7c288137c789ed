import type { Request } from 'express';
import type { Actor, TenantInfo } from './ports.js';

/** DI token of the {@link TenantInfoResolver}. */
export const TENANT_INFO_RESOLVER = Symbol('TENANT_INFO_RESOLVER');

/** Turns the tenant the auth guard attached to the request (from the token's realm) into `TenantInfo`. */
export interface TenantInfoResolver {
  resolve(req: Request): Promise<TenantInfo>;
}

interface AuthedRequest {
  principal?: { subject: string; username?: string; clientId?: string };
}

/** Who made the request, from the verified token the guard attached. */
export function actorOf(req: Request): Actor {
  const p = (req as unknown as AuthedRequest).principal;
  return { subject: p?.subject ?? 'anonymous', username: p?.username, clientId: p?.clientId };
}
