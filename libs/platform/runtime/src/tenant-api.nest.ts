import { Inject, Injectable, type CallHandler, type DynamicModule, type ExecutionContext, type NestInterceptor, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { ForbiddenError, RealmAuthModule, type AuthenticatedHttpRequest } from '@cetate/platform-identity';
import { activeTenantOfRealm, runInTenant, type TenantLookup, type TenantRef } from '@cetate/platform-tenancy';

/** DI token of the function that turns the guard's tenant slug into the registry's {@link TenantRef}. */
export const TENANT_REF_LOOKUP = Symbol('TENANT_REF_LOOKUP');

/** Slug -> {@link TenantRef} (the tenant registry, cached). */
export type TenantRefLookup = (slug: string) => Promise<TenantRef>;

/**
 * Runs every authenticated request's handler inside `runInTenant()` with the tenant the `RealmAuthGuard`
 * resolved from the verified token's realm (guards run before interceptors), so tenant-bound resources
 * (the tenant's bucket through `TenantStorage`) see the request's `TenantContext` (ARCHITECTURE.md §2;
 * issue 5 point 8). Public routes (no `request.tenant`) run without a context. Nest binds `next.handle()`
 * to the async scope it is called in, so the handler inherits the AsyncLocalStorage store.
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

/** Options of {@link tenantApiWiring}. */
export interface TenantApiWiringOptions {
  /** Keycloak (or dev identity) base URL; realms are `<url>/realms/<realm>`. */
  keycloakUrl: string;
  /** The registry's cached lookup (a module runtime's `tenants`). */
  tenants: Pick<TenantLookup, 'isKnownRealm' | 'byRealm' | 'bySlug'>;
}

/** What a tenant API's root module adds to its own: {@link tenantApiWiring}. */
export interface TenantApiWiring {
  /** `RealmAuthModule` (global guard) with the registry's realm → tenant mapping. */
  imports: DynamicModule[];
  /** {@link TENANT_REF_LOOKUP} and the global {@link TenantContextInterceptor}. */
  providers: Provider[];
}

/**
 * The NestJS wiring every tenant HTTP API of a module (`invoicing-api`, `documents-api`) shares: JWT verification
 * per realm (`RealmAuthModule`, global guard) where a token of a realm no tenant has gets 403 before any JWKS request
 * to the identity server, and a realm whose tenant is unknown or not `active` gets 403; then every handler runs in
 * the token's `TenantContext` ({@link TenantContextInterceptor}; the tenant's bucket refuses calls without it).
 * The app keeps its own controllers and providers and spreads `imports` / `providers` into its root module.
 */
export function tenantApiWiring(opts: TenantApiWiringOptions): TenantApiWiring {
  const { tenants } = opts;
  return {
    imports: [
      RealmAuthModule.forRoot({
        verifier: {
          issuerBaseUrl: opts.keycloakUrl,
          isKnownRealm: async (realm) => {
            if (await tenants.isKnownRealm(realm)) return true;
            throw new ForbiddenError(`token of realm ${realm}, which belongs to no tenant of this platform`);
          },
        },
        tenantResolver: {
          useValue: {
            /** Realm → tenant (cached); an unknown realm or a tenant not `active` gets 403. */
            async tenantForRealm(realm: string) {
              const t = await activeTenantOfRealm(tenants, realm);
              return t ? { slug: t.slug } : null;
            },
          },
        },
      }),
    ],
    providers: [
      { provide: TENANT_REF_LOOKUP, useValue: ((slug) => tenants.bySlug(slug)) satisfies TenantRefLookup },
      { provide: APP_INTERCEPTOR, useClass: TenantContextInterceptor },
    ],
  };
}
