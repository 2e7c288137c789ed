import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { PLATFORM_OPERATOR_ROLE, PLATFORM_REALM, RequireRealm, Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { ProvisioningSaga, type CreateTenantResult, type TenantProvisioningView } from '@cetate/platform-provisioning';

/** Body of `POST /v1/tenants`. */
export const CreateTenantBodySchema = z.object({
  slug: z.string(),
  displayName: z.string().min(1).max(200),
  cif: z.string().min(2).max(12),
  admin: z.object({
    email: z.string().email(),
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/).optional(),
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
  }),
  dbCluster: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/).optional(),
});

/** 400 `VALIDATION_FAILED` with the zod issues as RFC 9457 `errors`. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new DomainError('VALIDATION_FAILED', 'The request body is not valid.', {
    status: 400,
    errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/**
 * Tenant lifecycle for platform operators (Keycloak realm `platform`, realm role `platform-operator`): create
 * (the provisioning saga, synchronous: it takes seconds), list, show with the step states, suspend, resume,
 * migrate, export, delete. Errors are RFC 9457 problem+json with `traceId`.
 */
@Controller('v1/tenants')
@RequireRealm(PLATFORM_REALM)
@Roles(PLATFORM_OPERATOR_ROLE)
export class TenantsController {
  constructor(@Inject(ProvisioningSaga) private readonly saga: ProvisioningSaga) {}

  /**
   * `POST /v1/tenants` {slug, displayName, cif, admin: {email, username?}, dbCluster?}: provisions the tenant, or
   * finishes a half-provisioned one of the same slug (idempotent). 201 `{ tenant, firstAdmin? }`: `firstAdmin`
   * carries the temporary password once, when this call created the admin. 400 `VALIDATION_FAILED` /
   * `INVALID_TENANT` (slug, CIF: nothing ran), 409 `TENANT_OPERATION_IN_PROGRESS` / `TENANT_STATE_CONFLICT`,
   * 502 `PROVISIONING_STEP_FAILED` (the step and reason; `GET` shows it; POST again retries).
   */
  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<CreateTenantResult> {
    const input = parseBody(CreateTenantBodySchema, body);
    return this.saga.create(input);
  }

  /** `GET /v1/tenants`: `{ items: [tenant with steps] }`, ordered by slug. */
  @Get()
  async list(): Promise<{ items: TenantProvisioningView[] }> {
    return { items: await this.saga.list() };
  }

  /** `GET /v1/tenants/:slug`: the tenant with its step states. 404 `TENANT_NOT_FOUND`. */
  @Get(':slug')
  async show(@Param('slug') slug: string): Promise<TenantProvisioningView> {
    return await this.saga.show(slug);
  }

  /** `POST /v1/tenants/:slug/suspend`: tokens of its realm get 403 until resumed. 409 while provisioning. */
  @Post(':slug/suspend')
  @HttpCode(200)
  async suspend(@Param('slug') slug: string): Promise<TenantProvisioningView> {
    return await this.saga.suspend(slug);
  }

  /** `POST /v1/tenants/:slug/resume`. 409 while provisioning or being deleted. */
  @Post(':slug/resume')
  @HttpCode(200)
  async resume(@Param('slug') slug: string): Promise<TenantProvisioningView> {
    return await this.saga.resume(slug);
  }

  /** `POST /v1/tenants/:slug/migrate`: runs the pending module migrations. 200 `{ slug, migrationsRun }`. */
  @Post(':slug/migrate')
  @HttpCode(200)
  async migrate(@Param('slug') slug: string): Promise<{ slug: string; migrationsRun: string[] }> {
    return this.saga.migrate(slug);
  }

  /**
   * `GET /v1/tenants/:slug/export`: `application/zip` with `manifest.json`, `database.sql` (pg_dump) and
   * `objects/<key>` of every object of the bucket (what an operator keeps before a deletion).
   */
  @Get(':slug/export')
  async export(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const t = await this.saga.show(slug);
    const dir = await mkdtemp(join(tmpdir(), 'cetate-export-'));
    try {
      const file = join(dir, `${slug}.zip`);
      await this.saga.exportTo(t, file);
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', `attachment; filename="cetate-${slug}-export.zip"`);
      await new Promise<void>((resolve, reject) => {
        createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * `DELETE /v1/tenants/:slug?confirm=<slug>`: deletes realm, bucket, database, secrets and the registry row
   * (export first with `GET .../export`). 200 `{ deleted: slug }`. 400 `CONFIRMATION_REQUIRED` when `confirm` is
   * not the slug.
   */
  @Delete(':slug')
  @HttpCode(200)
  async delete(@Param('slug') slug: string, @Query('confirm') confirm?: string): Promise<{ deleted: string }> {
    if (confirm !== slug) {
      throw new DomainError('CONFIRMATION_REQUIRED', `Deleting tenant "${slug}" removes all its data; repeat the slug as ?confirm=${slug}`, { status: 400 });
    }
    await this.saga.delete(slug);
    return { deleted: slug };
  }
}
