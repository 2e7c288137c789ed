import { Body, Controller, Get, Inject, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { EfacturaSettingsView } from '@cetate/invoicing-contracts';
import { Roles } from '@cetate/platform-identity';
import { EfacturaSettingsService } from './efactura-settings.js';
import { UnsupportedMediaTypeError } from './invoicing.errors.js';
import { TENANT_INFO_RESOLVER, type TenantInfoResolver, actorOf } from './request-context.js';

/**
 * Settings of the invoicing module for the caller's tenant (from the verified token's realm). Errors are RFC 9457
 * problem+json with `traceId`.
 */
@Controller('v1/settings')
export class SettingsController {
  constructor(
    @Inject(EfacturaSettingsService) private readonly settings: EfacturaSettingsService,
    @Inject(TENANT_INFO_RESOLVER) private readonly tenants: TenantInfoResolver,
  ) {}

  /**
   * `GET /v1/settings/efactura` (`accountant`, `tenant-admin`): `EfacturaSettingsView`
   * `{ autoSend, workingDaysBefore, updatedAt, updatedBy }`; the defaults (`autoSend: false`, `workingDaysBefore: 1`,
   * `updatedAt: null`) until a tenant admin writes them.
   */
  @Get('efactura')
  @Roles('accountant', 'tenant-admin')
  async getEfactura(@Req() req: Request): Promise<EfacturaSettingsView> {
    return this.settings.get(await this.tenants.resolve(req));
  }

  /**
   * `PUT /v1/settings/efactura` (`tenant-admin`, application/json): `{ autoSend: boolean, workingDaysBefore: 0..4 }`,
   * both required, nothing else. 200 → the stored `EfacturaSettingsView`. With `autoSend` on, invoicing-api sends every
   * `draft` invoice whose issue date has come and whose deadline is at most `workingDaysBefore` working days away
   * (checked every `INVOICING_AUTO_SEND_INTERVAL_MS`, 15 minutes by default). 400 `VALIDATION_FAILED`, 415.
   */
  @Put('efactura')
  @Roles('tenant-admin')
  async putEfactura(@Req() req: Request, @Body() body: unknown): Promise<EfacturaSettingsView> {
    if (!req.is('application/json')) throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json']);
    return this.settings.put(await this.tenants.resolve(req), actorOf(req), body);
  }
}
