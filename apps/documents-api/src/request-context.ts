import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { AuthenticatedHttpRequest } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import type { Actor } from './ports.js';

/** The tenant slug the `RealmAuthGuard` resolved from the verified token's realm. */
export function tenantOf(req: Request): string {
  const slug = (req as Request & AuthenticatedHttpRequest).tenant?.slug;
  if (!slug) throw new Error('no tenant on the request: RealmAuthGuard did not run');
  return slug;
}

/** Who made the request, from the verified token the guard attached. */
export function actorOf(req: Request): Actor {
  const p = (req as Request & AuthenticatedHttpRequest).principal;
  return { subject: p?.subject ?? 'anonymous', username: p?.username, clientId: p?.clientId };
}

/** The caller's `X-Correlation-Id` when it is a usable one, else a new one (ARCHITECTURE.md §3 headers). */
export function correlationIdOf(req: Request): string {
  const given = req.headers['x-correlation-id'];
  return typeof given === 'string' && /^[\x21-\x7e]{1,200}$/.test(given) ? given : randomUUID();
}

/**
 * A non-negative integer query parameter, `dflt` when absent, at most `max`.
 * @throws DomainError 400 `INVALID_QUERY_PARAMETER`.
 */
export function intParam(name: string, value: string | undefined, dflt: number, max = 1_000_000_000): number {
  if (value === undefined || value === '') return dflt;
  if (!/^\d{1,9}$/.test(value) || Number(value) > max) {
    throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "${name}" must be an integer from 0 to ${max}, got "${value}".`, { status: 400 });
  }
  return Number(value);
}
