import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AnafCompanyView } from '@cetate/invoicing-contracts';
import { AnafAuthorizationService, AnafOAuthNotConfiguredError, AnafOAuthStateError, type AnafTenant } from '@cetate/invoicing-efactura';
import { Public, Roles, type AuthenticatedHttpRequest } from '@cetate/platform-identity';
import { UnsupportedMediaTypeError } from './invoicing.errors.js';

/** DI token of the {@link AnafAuthorizationService} (`null` when invoicing-api has no ANAF OAuth config or secret store). */
export const ANAF_AUTHORIZATION = Symbol('ANAF_AUTHORIZATION');

/** `POST /v1/anaf/companies` body: `{ cif, name }`, both required, nothing else. */
export const AddAnafCompanySchema = z.object({ cif: z.string().min(1).max(20), name: z.string().min(1).max(200) }).strict();

/** Escapes text for an HTML page. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The ANAF authorisation of the caller tenant's companies (issue 10 point 1; ANAF-EFACTURA.md "OAuth 2.0"): list them,
 * add a CIF, start the authorization-code flow, and the public callback ANAF redirects the browser to. Errors are RFC
 * 9457 problem+json with `traceId`; 503 `ANAF_OAUTH_NOT_CONFIGURED` when this server has no ANAF OAuth client.
 */
@Controller('v1/anaf')
export class AnafCompaniesController {
  constructor(@Inject(ANAF_AUTHORIZATION) private readonly auth: AnafAuthorizationService | null) {}

  /**
   * `GET /v1/anaf/companies` (`accountant`, `tenant-admin`): `AnafCompanyView[]`, the tenant's own CIF first (listed
   * from the first call on), each `{ cif, name, primary, status, authorizedAt, refreshExpiresAt, lastRefreshAt,
   * daysToExpiry, warning, refusedReason }`. `status`: `not_authorized | authorized | expiring` (refresh token ends
   * within 30 days) `| expired | refused` (ANAF 403 on the CIF) `| revoked`. Runs the 30-day expiry check first (one
   * `invoicing.efactura.authorization-expiring` event per authorisation).
   */
  @Get('companies')
  @Roles('accountant', 'tenant-admin')
  async list(@Req() req: Request): Promise<AnafCompanyView[]> {
    const auth = this.service();
    return auth.list(await this.tenantOf(auth, req));
  }

  /**
   * `POST /v1/anaf/companies` (`tenant-admin`, application/json `{ cif, name }`): adds a company CIF (with or without
   * `RO`; control digit checked) as `not_authorized`, or renames an existing one. 201 → its `AnafCompanyView`.
   * 400 `VALIDATION_FAILED` (body shape), 400 `ANAF_COMPANY_INVALID` (CUI control digit, empty name), 415.
   */
  @Post('companies')
  @Roles('tenant-admin')
  @HttpCode(201)
  async add(@Req() req: Request, @Body() body: unknown): Promise<AnafCompanyView> {
    if (!req.is('application/json')) throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json']);
    const auth = this.service();
    const { cif, name } = AddAnafCompanySchema.parse(body);
    return auth.addCompany(await this.tenantOf(auth, req), cif, name);
  }

  /**
   * `POST /v1/anaf/companies/:cif/authorization` (`tenant-admin`): `{ authorizeUrl }`, ANAF's authorize URL (certificate
   * login) to open in the browser; its single-use `state` is valid 10 minutes and replaces any pending one. After the
   * login ANAF redirects to `GET /v1/anaf/oauth/callback`. 404 `ANAF_COMPANY_NOT_FOUND`.
   */
  @Post('companies/:cif/authorization')
  @Roles('tenant-admin')
  @HttpCode(200)
  async startAuthorization(@Req() req: Request, @Param('cif') cif: string): Promise<{ authorizeUrl: string }> {
    const auth = this.service();
    const { authorizeUrl } = await auth.startAuthorization(await this.tenantOf(auth, req), cif);
    return { authorizeUrl };
  }

  /**
   * `GET /v1/anaf/oauth/callback?code&state` or `?error&error_description&state` — PUBLIC (ANAF redirects the browser
   * here, without our token; RFC 6749 §4.1.2). The `state` names the tenant and is checked (single use, 10 minutes);
   * the code is exchanged and the tokens stored. 200 `text/html` page "connected" with the CIF. Errors as problem+json:
   * 400 `ANAF_OAUTH_STATE_INVALID` (missing, unknown, used, expired state), 400 `ANAF_OAUTH_DENIED` (ANAF sent `error`),
   * 502 `ANAF_OAUTH_CODE_REFUSED`.
   */
  @Get('oauth/callback')
  @Public()
  async callback(
    @Query('state') state: string | undefined,
    @Query('code') code: string | undefined,
    @Query('error') error: string | undefined,
    @Query('error_description') errorDescription: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const auth = this.service();
    if (typeof state !== 'string' || !state) throw new AnafOAuthStateError('unknown');
    if (typeof error === 'string' && error) await auth.denyAuthorization(state, error, typeof errorDescription === 'string' ? errorDescription : undefined);
    if (typeof code !== 'string' || !code) throw new AnafOAuthStateError('unknown');
    const { company } = await auth.completeAuthorization(state, code);
    res
      .status(200)
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
      .type('html')
      .send(
        `<!doctype html><html lang="ro"><head><meta charset="utf-8"><title>ANAF connected</title></head><body>` +
          `<h1>ANAF e-Factura connected</h1><p>CIF ${html(company.cif)} (${html(company.name)}) is authorised until ` +
          `${html(company.refreshExpiresAt?.slice(0, 10) ?? '')}. You can close this page.</p></body></html>`,
      );
  }

  private service(): AnafAuthorizationService {
    if (!this.auth) throw new AnafOAuthNotConfiguredError();
    return this.auth;
  }

  /** The caller's tenant (from the verified token's realm), with its own CIF and name from the registry. */
  private tenantOf(auth: AnafAuthorizationService, req: Request): Promise<AnafTenant> {
    const slug = (req as Request & AuthenticatedHttpRequest).tenant?.slug;
    if (!slug) throw new Error('no tenant on the request: RealmAuthGuard did not run');
    return auth.tenant(slug);
  }
}
