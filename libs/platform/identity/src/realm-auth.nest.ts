import {
  Inject,
  Injectable,
  Module,
  SetMetadata,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type InjectionToken,
  type OptionalFactoryDependency,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { AuthenticationError, ForbiddenError } from './errors.js';
import { authenticateRequest, type RealmTenantResolver } from './realm-authorization.js';
import { RealmTokenVerifier, type RealmTokenVerifierOptions, type TokenVerifier, type VerifiedPrincipal } from './realm-token-verifier.js';

/** DI token of the {@link TokenVerifier} the guard uses (usually a {@link RealmTokenVerifier}). */
export const IDENTITY_VERIFIER = Symbol('IDENTITY_VERIFIER');
/** DI token of the {@link RealmTenantResolver} the guard uses (tenant registry). */
export const REALM_TENANT_RESOLVER = Symbol('REALM_TENANT_RESOLVER');

/** Metadata key of {@link Roles}. */
export const ROLES_KEY = 'cetate:identity:roles';
/** Metadata key of {@link Public}. */
export const IS_PUBLIC_KEY = 'cetate:identity:public';

/**
 * Requires at least one of the given Keycloak realm roles (`realm_access.roles`) on a handler or a
 * controller (the handler's list wins). Missing role -> 403 `AUTH_FORBIDDEN`.
 */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

/** Marks a handler or controller as reachable without a token (health checks, discovery). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** Metadata key of {@link RequireRealm}. */
export const REALM_KEY = 'cetate:identity:realm';

/**
 * Requires the token to come from this exact realm, e.g. `@RequireRealm('platform')` on operator endpoints:
 * a role of the same name in a tenant realm is not enough (a tenant admin could create one in Keycloak).
 * Another realm -> 403 `AUTH_FORBIDDEN`.
 */
export const RequireRealm = (realm: string) => SetMetadata(REALM_KEY, realm);

/** The request fields the guard sets. */
export interface AuthenticatedHttpRequest {
  principal?: VerifiedPrincipal;
  tenant?: { slug: string };
}

type HttpReq = AuthenticatedHttpRequest & {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
};

/**
 * Global guard: unless `@Public()`, reads `Authorization: Bearer`, verifies it with
 * {@link IDENTITY_VERIFIER}, maps its realm to a tenant with {@link REALM_TENANT_RESOLVER}, requires
 * the route's `:tenant` (if any) to be that tenant and the `@Roles(...)` (any of) to be held, then
 * sets `request.principal` and `request.tenant`. Throws `AuthenticationError` (401, with
 * `WWW-Authenticate: Bearer`, RFC 6750 §3) or `ForbiddenError` (403); render them with the
 * observability `ProblemDetailsFilter`. Non-HTTP contexts are let through untouched.
 */
@Injectable()
export class RealmAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IDENTITY_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(REALM_TENANT_RESOLVER) private readonly resolver: RealmTenantResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
    const realm = this.reflector.getAllAndOverride<string | undefined>(REALM_KEY, targets);
    const req = context.switchToHttp().getRequest<HttpReq>();
    try {
      const { principal, tenant } = await authenticateRequest(
        { authorization: req.headers['authorization'], routeTenant: req.params?.['tenant'], anyOfRoles: roles },
        this.verifier,
        this.resolver,
      );
      if (realm !== undefined && principal.realm !== realm) {
        throw new ForbiddenError(`this endpoint needs a token of realm ${realm}, not ${principal.realm}`);
      }
      req.principal = principal;
      req.tenant = tenant;
      return true;
    } catch (err) {
      if (err instanceof AuthenticationError) {
        const res = context.switchToHttp().getResponse<{ setHeader?(name: string, value: string): void }>();
        res.setHeader?.('WWW-Authenticate', `Bearer error="invalid_token"`);
      }
      throw err;
    }
  }
}

/** A Nest provider definition of the {@link RealmTenantResolver}, without `provide`. */
export type RealmTenantResolverProvider =
  | { useValue: RealmTenantResolver }
  | { useClass: Type<RealmTenantResolver> }
  | { useExisting: InjectionToken }
  | {
      useFactory: (...args: never[]) => RealmTenantResolver | Promise<RealmTenantResolver>;
      inject?: Array<InjectionToken | OptionalFactoryDependency>;
    };

/** Options of {@link RealmAuthModule.forRoot}. */
export interface RealmAuthModuleOptions {
  /** Verifier options (a {@link RealmTokenVerifier} is built) or a ready {@link TokenVerifier}. */
  verifier: RealmTokenVerifierOptions | TokenVerifier;
  /** How to obtain the {@link RealmTenantResolver} (e.g. `{ useClass: TenantRegistryResolver }` or `{ useValue }`). */
  tenantResolver: RealmTenantResolverProvider;
  /** Modules the resolver's dependencies come from (for `useClass`/`useFactory`). */
  imports?: DynamicModule['imports'];
  /** Register {@link RealmAuthGuard} as global `APP_GUARD`; default true. */
  global?: boolean;
}

/**
 * Wires {@link IDENTITY_VERIFIER}, {@link REALM_TENANT_RESOLVER} and (by default) the global
 * {@link RealmAuthGuard}. Thin: all logic lives in the plain functions and the verifier.
 */
@Module({})
export class RealmAuthModule {
  static forRoot(opts: RealmAuthModuleOptions): DynamicModule {
    const verifier = 'verify' in opts.verifier ? opts.verifier : new RealmTokenVerifier(opts.verifier);
    const providers: Provider[] = [
      { provide: IDENTITY_VERIFIER, useValue: verifier },
      { ...opts.tenantResolver, provide: REALM_TENANT_RESOLVER } as Provider,
      RealmAuthGuard,
    ];
    if (opts.global !== false) providers.push({ provide: APP_GUARD, useExisting: RealmAuthGuard });
    return {
      module: RealmAuthModule,
      global: true,
      imports: opts.imports ?? [],
      providers,
      exports: [IDENTITY_VERIFIER, REALM_TENANT_RESOLVER, RealmAuthGuard],
    };
  }
}
