/**
 * Tenant admins manage the users of THEIR realm (issue 5 point 3): list, invite, disable, assign roles.
 * The realm is always the verified token's (`request.principal.realm`, set by `RealmAuthGuard`); no
 * parameter, header or body field can name another realm.
 */
import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Header, HttpCode, Inject, Module, Param, Patch, Post, Query, Req, type DynamicModule } from '@nestjs/common';
import { DomainError } from '@cetate/platform-observability';
import { z } from 'zod';
import { IdentityAdminError, TENANT_REALM_ROLES, type IdentityAdmin, type IdentityUser, type TenantRealmRole } from './identity-admin.js';
import { Roles, type AuthenticatedHttpRequest } from './realm-auth.nest.js';

/** DI token of the {@link IdentityAdmin} used by {@link TenantUsersController}. */
export const IDENTITY_ADMIN = Symbol('IDENTITY_ADMIN');

/** The realm role every endpoint of {@link TenantUsersController} requires. */
export const TENANT_ADMIN_ROLE: TenantRealmRole = 'tenant-admin';

/** Keycloak user ids: UUIDs for local users, `f:<provider>:<id>` for federated ones. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,254}$/;

const roleList = z
  .array(z.enum(TENANT_REALM_ROLES))
  .max(TENANT_REALM_ROLES.length * 2)
  .transform((r) => [...new Set(r)].sort());

/** Query of `GET /v1/users`: `first` (offset, default 0), `max` (page size 1..100, default 50). */
export const ListUsersQuerySchema = z
  .object({
    first: z.coerce.number().int().min(0).max(1_000_000).default(0),
    max: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

/**
 * Body of `POST /v1/users`. `username`: 3..255 characters of `A-Z a-z 0-9 . _ @ + -`, stored lower-case
 * (Keycloak lower-cases usernames), not starting with `service-account-` (Keycloak's service account
 * prefix); `email`: RFC 5322 address as zod checks it; `roles`: at least one of the tenant realm roles.
 */
export const InviteUserBodySchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(3)
      .max(255)
      .regex(/^[A-Za-z0-9._@+-]+$/, 'letters, digits and . _ @ + - only')
      .transform((u) => u.toLowerCase())
      .refine((u) => !u.startsWith('service-account-'), 'the service-account- prefix is reserved for Keycloak service accounts'),
    email: z.email().max(255),
    firstName: z.string().trim().min(1).max(255).optional(),
    lastName: z.string().trim().min(1).max(255).optional(),
    roles: roleList.refine((r) => r.length > 0, 'at least one role'),
  })
  .strict();
export type InviteUserBody = z.output<typeof InviteUserBodySchema>;

/** Body of `PATCH /v1/users/:id`: `enabled` and/or `roles` (the user's complete tenant role set). */
export const UpdateUserBodySchema = z
  .object({
    enabled: z.boolean().optional(),
    roles: roleList.optional(),
  })
  .strict()
  .refine((b) => b.enabled !== undefined || b.roles !== undefined, 'give enabled, roles or both');
export type UpdateUserBody = z.output<typeof UpdateUserBodySchema>;

/** Answer of `POST /v1/users`: the user and, this once, the temporary password to hand over. */
export interface InvitedUser extends IdentityUser {
  /** 24 base64url characters (18 random bytes, node:crypto); the user must change it at first login. */
  temporaryPassword: string;
}

/** No user with this id in the caller's realm (or it is a service account). Code `USER_NOT_FOUND`, 404. */
export class UserNotFoundError extends DomainError {
  constructor(id: string, cause?: unknown) {
    super('USER_NOT_FOUND', `no user ${id} in this realm`, { status: 404, cause });
  }
}

/** The username or email is already taken in the realm (Keycloak 409). Code `USER_EXISTS`, 409. */
export class UserExistsError extends DomainError {
  constructor(username: string, cause?: unknown) {
    super('USER_EXISTS', `a user with username ${username} or the same email already exists`, { status: 409, cause });
  }
}

/**
 * A tenant admin tried to disable himself or to remove his own `tenant-admin` role, which would lock the
 * caller out of user administration. Code `USER_SELF_LOCKOUT`, 409.
 */
export class UserSelfLockoutError extends DomainError {
  constructor(detail: string) {
    super('USER_SELF_LOCKOUT', detail, { status: 409, title: 'Cannot lock yourself out' });
  }
}

/** 18 random bytes, base64url (24 characters, 144 bits). */
function temporaryPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `v1/users`: user administration of the caller's tenant realm through {@link IDENTITY_ADMIN}. Every
 * route requires realm role `tenant-admin` (`@Roles`, enforced by the global `RealmAuthGuard`); the
 * realm is `request.principal.realm` of the verified token. Errors (RFC 9457 problem+json through the
 * observability filter): 400 `VALIDATION_FAILED` with `errors` (zod), 401/403 from the guard, 404
 * `USER_NOT_FOUND`, 409 `USER_EXISTS` / `USER_SELF_LOCKOUT`, 502 `IDENTITY_ADMIN_FAILED`.
 */
@Controller('v1/users')
export class TenantUsersController {
  constructor(@Inject(IDENTITY_ADMIN) private readonly admin: IdentityAdmin) {}

  /**
   * `GET /v1/users?first=&max=` → 200 `IdentityUser[]` ordered by username, service accounts excluded
   * (a page can hold fewer than `max` entries for that reason).
   */
  @Roles(TENANT_ADMIN_ROLE)
  @Get()
  async list(@Req() req: AuthenticatedHttpRequest, @Query() query: unknown): Promise<IdentityUser[]> {
    const realm = realmOf(req);
    const page = ListUsersQuerySchema.parse(query);
    return this.admin.listUsers(realm, page);
  }

  /**
   * `POST /v1/users` {username, email, firstName?, lastName?, roles} → 201 {@link InvitedUser}: an enabled
   * user with required action `UPDATE_PASSWORD` and a generated temporary password, returned only in this
   * answer (`Cache-Control: no-store`, RFC 9111 §5.2.2.5). 409 `USER_EXISTS` when the username or email is taken.
   */
  @Roles(TENANT_ADMIN_ROLE)
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async invite(@Req() req: AuthenticatedHttpRequest, @Body() body: unknown): Promise<InvitedUser> {
    const realm = realmOf(req);
    const input = InviteUserBodySchema.parse(body ?? {});
    const password = temporaryPassword();
    try {
      const user = await this.admin.inviteUser(realm, { ...input, temporaryPassword: password });
      return { ...user, temporaryPassword: password };
    } catch (err) {
      if (err instanceof IdentityAdminError && err.status === 409) throw new UserExistsError(input.username, err);
      throw err;
    }
  }

  /**
   * `PATCH /v1/users/:id` {enabled?, roles?} → 200 `IdentityUser`. `roles` replaces the user's tenant
   * roles. The caller cannot disable himself nor drop his own `tenant-admin` (409 `USER_SELF_LOCKOUT`,
   * checked before any change). Roles are applied before `enabled`; the two are separate admin calls.
   */
  @Roles(TENANT_ADMIN_ROLE)
  @Patch(':id')
  async update(@Req() req: AuthenticatedHttpRequest, @Param('id') id: string, @Body() body: unknown): Promise<IdentityUser> {
    const realm = realmOf(req);
    const patch = UpdateUserBodySchema.parse(body ?? {});
    if (!USER_ID.test(id)) throw new UserNotFoundError(id);
    if (id === req.principal!.subject) {
      if (patch.enabled === false) throw new UserSelfLockoutError('you cannot disable your own account');
      if (patch.roles && !patch.roles.includes(TENANT_ADMIN_ROLE)) throw new UserSelfLockoutError('you cannot remove your own tenant-admin role');
    }
    try {
      let user: IdentityUser | undefined;
      if (patch.roles) user = await this.admin.setUserRoles(realm, id, patch.roles);
      if (patch.enabled !== undefined) user = await this.admin.setUserEnabled(realm, id, patch.enabled);
      return user!;
    } catch (err) {
      if (err instanceof IdentityAdminError && err.status === 404) throw new UserNotFoundError(id, err);
      throw err;
    }
  }
}

/** The verified token's realm; fails closed (500) when the guard did not run. */
function realmOf(req: AuthenticatedHttpRequest): string {
  const realm = req.principal?.realm;
  if (!realm) throw new Error('TenantUsersController needs RealmAuthGuard (RealmAuthModule.forRoot) to authenticate the request');
  return realm;
}

/** Nest module of {@link TenantUsersController}; build it with {@link tenantUsersModule}. */
@Module({})
export class TenantUsersModule {}

/**
 * The `v1/users` endpoints with `identityAdmin` bound to {@link IDENTITY_ADMIN}. The app must also import
 * `RealmAuthModule.forRoot(...)` (global guard) and register the observability `ProblemDetailsFilter`.
 * Example: `imports: [RealmAuthModule.forRoot({...}), tenantUsersModule(identityAdminFromEnv())]`.
 */
export function tenantUsersModule(identityAdmin: IdentityAdmin): DynamicModule {
  return {
    module: TenantUsersModule,
    controllers: [TenantUsersController],
    providers: [{ provide: IDENTITY_ADMIN, useValue: identityAdmin }],
    exports: [IDENTITY_ADMIN],
  };
}
