import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { AuthenticatedHttpRequest } from '@cetate/platform-identity';
import { runInTenant, type TenantRef } from '@cetate/platform-tenancy';

/** DI token of the function that turns the guard's tenant slug into the registry's {@link TenantRef}. */
export const TENANT_REF_LOOKUP = Symbol('TENANT_REF_LOOKUP');

/** Slug -> {@link TenantRef} (the tenant registry, cached). */
export type TenantRefLookup = (slug: string) => Promise<TenantRef>;

/**
 * Runs every authenticated request's handler inside `runInTenant()` with the tenant the `RealmAuthGuard` resolved from
 * the verified token's realm (guards run before interceptors), so the tenant's bucket (`TenantStorage`) sees the
 * request's `TenantContext` (ARCHITECTURE.md §2), as in `invoicing-api`. Public routes run without a context.
 */
@Injectable()
export class TenantContextInterceptor implements NestInterceptor {
  constructor(@Inject(TENANT_REF_LOOKUP) private readonly lookup: TenantRefLookup) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const slug = ctx.switchToHttp().getRequest<Request & AuthenticatedHttpRequest>().tenant?.slug;
    if (!slug) return next.handle();
    return from(this.lookup(slug)).pipe(mergeMap((tenant) => runInTenant(tenant, () => next.handle())));
  }
}
