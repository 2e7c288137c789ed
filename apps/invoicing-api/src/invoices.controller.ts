import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { InvoicingService, type InvoiceDetailView, type InvoiceView, type SendResult } from './invoicing.service.js';
import { UnsupportedMediaTypeError } from './invoicing.errors.js';
import { TENANT_INFO_RESOLVER, type TenantInfoResolver, actorOf } from './request-context.js';
import { UblProblemFilter } from './ubl-problem.filter.js';

const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * A non-negative integer query parameter, `dflt` when absent.
 * @throws DomainError 400 `INVALID_QUERY_PARAMETER` when present but not a non-negative integer.
 */
function intParam(name: string, value: string | undefined, dflt: number): number {
  if (value === undefined || value === '') return dflt;
  if (!/^\d{1,9}$/.test(value)) {
    throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "${name}" must be a non-negative integer, got "${value}".`, { status: 400 });
  }
  return Number(value);
}

/**
 * A `YYYY-MM-DD` calendar date query parameter, `undefined` when absent.
 * @throws DomainError 400 `INVALID_QUERY_PARAMETER` when present but not a valid date.
 */
function dateParam(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "${name}" must be a date YYYY-MM-DD, got "${value}".`, { status: 400 });
  }
  return value;
}

/**
 * Invoices of the caller's tenant (the tenant comes from the verified token's realm; a token of another
 * realm never reaches another tenant's data). Errors are RFC 9457 problem+json with `traceId`.
 * Roles (Keycloak realm roles): reading needs `accountant`, `user` or `tenant-admin`; writing needs `accountant`.
 * A body that is not UBL 2.1 answers 400 with the parser's `code` and, when known, `line`/`column` (`UblProblemFilter`).
 */
@Controller('v1/invoices')
@UseFilters(UblProblemFilter)
export class InvoicesController {
  constructor(
    @Inject(InvoicingService) private readonly invoicing: InvoicingService,
    @Inject(TENANT_INFO_RESOLVER) private readonly tenants: TenantInfoResolver,
  ) {}

  /**
   * `POST /v1/invoices` (application/json): create an invoice from EN 16931 terms (`InvoiceDocumentSchema`;
   * amounts as decimal strings). 201 → `InvoiceView` (state `draft`) with `validation` (the local EN 16931 + CIUS-RO
   * findings of the built UBL, as `POST /v1/validate` answers them). 400 with field `errors` when invalid;
   * 415 for another content type.
   */
  @Post()
  @Roles('accountant')
  async create(@Req() req: Request, @Body() body: unknown): Promise<InvoiceView> {
    if (!req.is('application/json')) throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json']);
    return this.invoicing.createFromJson(await this.tenants.resolve(req), actorOf(req), body);
  }

  /**
   * `POST /v1/invoices/import` (application/xml or text/xml, ≤ 10 MB like ANAF's upload): import a UBL 2.1
   * Invoice or CreditNote as is. 201 → `InvoiceView` (state `draft`) with `validation`
   * `{ valid, documentType, fatal, warnings, findings }`: the findings of the same `validateUbl` the worker runs before
   * the upload and `POST /v1/validate` answers (the draft is stored whatever they are). 400 with the parser's code
   * (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`, `XML_*`) and `line`/`column` when known, 413 over 10 MB, 415 other content
   * types — nothing is stored in those cases.
   */
  @Post('import')
  @Roles('accountant')
  async import(@Req() req: Request): Promise<InvoiceView> {
    if (!req.is(XML_TYPES)) throw new UnsupportedMediaTypeError(req.headers['content-type'], XML_TYPES);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.invoicing.importXml(await this.tenants.resolve(req), actorOf(req), body);
  }

  /**
   * `GET /v1/invoices?state=&buyer=&issuedFrom=&issuedTo=&due=&limit=&offset=`: newest first; `limit` 1..200.
   * `buyer`: case-insensitive part of the buyer's name (BT-44), at most 100 characters; `issuedFrom`/`issuedTo`:
   * `YYYY-MM-DD`, inclusive bounds on the issue date (BT-2). `due` (`YYYY-MM-DD`): the invoices at risk, i.e. not yet
   * transmitted (every e-Factura state but `submitted` and `accepted`) whose legal transmission deadline
   * (`efactura.deadline`) is on or before that date, earliest deadline first. 400 `INVALID_QUERY_PARAMETER` otherwise.
   */
  @Get()
  @Roles('accountant', 'user', 'tenant-admin')
  async list(
    @Req() req: Request,
    @Query('state') state?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
    @Query('buyer') buyer?: string,
    @Query('issuedFrom') issuedFrom?: string,
    @Query('issuedTo') issuedTo?: string,
    @Query('due') due?: string,
  ): Promise<{ items: InvoiceView[]; total: number }> {
    if (buyer !== undefined && buyer.length > 100) {
      throw new DomainError('INVALID_QUERY_PARAMETER', 'Query parameter "buyer" must be at most 100 characters.', { status: 400 });
    }
    return this.invoicing.list(await this.tenants.resolve(req), {
      state: state || undefined,
      buyer: buyer?.trim() || undefined,
      issuedFrom: dateParam('issuedFrom', issuedFrom),
      issuedTo: dateParam('issuedTo', issuedTo),
      due: dateParam('due', due),
      limit: intParam('limit', limit, 50),
      offset: intParam('offset', offset, 0),
    });
  }

  /** `GET /v1/invoices/:id`: the invoice, its e-Factura state, every version and the full history. 404 if unknown. */
  @Get(':id')
  @Roles('accountant', 'user', 'tenant-admin')
  async get(@Req() req: Request, @Param('id') id: string): Promise<InvoiceDetailView> {
    return this.invoicing.get(await this.tenants.resolve(req), id);
  }

  /**
   * `POST /v1/invoices/:id/send`: "send to ANAF". 202 → `SendResult`; `queued: false` when this version was
   * already sent (no second upload). 409 when the state does not allow sending.
   */
  @Post(':id/send')
  @HttpCode(202)
  @Roles('accountant')
  async send(@Req() req: Request, @Param('id') id: string): Promise<SendResult> {
    const given = req.headers['x-correlation-id'];
    // The caller's correlation id when it is a usable one, else a new one (ARCHITECTURE.md §3 headers).
    const correlationId = typeof given === 'string' && /^[\x21-\x7e]{1,200}$/.test(given) ? given : randomUUID();
    return this.invoicing.send(await this.tenants.resolve(req), actorOf(req), id, correlationId);
  }

  /**
   * `POST /v1/invoices/:id/versions`: corrects an invoice in `invalid`, `rejected` or `failed` with version n+1, from
   * the JSON document (`application/json`, `InvoiceDocumentSchema`, ≤ 1 MB) or a UBL 2.1 XML (`application/xml` or
   * `text/xml`, ≤ 10 MB, stored byte for byte). 201 → `InvoiceView` (state `draft`, `version` n+1, `validation` of
   * the new version as for an import); every earlier
   * version keeps its XML, upload and ANAF answer. 400 `VALIDATION_FAILED` / `UBL_MALFORMED` / `UBL_UNKNOWN_ROOT`,
   * 404 `INVOICE_NOT_FOUND`, 409 `INVOICE_STATE_CONFLICT` (another state; the allowed ones in the detail and
   * `errors`), 413, 415 — nothing is stored in those cases.
   */
  @Post(':id/versions')
  @Roles('accountant')
  async createVersion(@Req() req: Request, @Param('id') id: string, @Body() body: unknown): Promise<InvoiceView> {
    const tenant = await this.tenants.resolve(req);
    if (req.is(XML_TYPES)) {
      return this.invoicing.createVersion(tenant, actorOf(req), id, { xml: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) });
    }
    if (!req.is('application/json')) throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json', ...XML_TYPES]);
    return this.invoicing.createVersion(tenant, actorOf(req), id, { json: body });
  }

  /**
   * `POST /v1/invoices/:id/credit-note` (application/json): credits an `accepted` invoice with a new CreditNote (BT-3
   * 381, BillingReference BT-25/BT-26), in `draft`, sent like any invoice (`standard=CN`). Body
   * `{ lines?: [{ id, quantity? }], number?, issueDate?, note? }`: `lines` absent = the whole invoice (what remains of
   * it); `id` is the original line's BT-126, `quantity` a decimal string (default: what remains of the line); `number`
   * default `<BT-1>-NC<n>`, `issueDate` default today (Romania). 201 → the credit note's `InvoiceView`.
   * 400 `VALIDATION_FAILED`; 404 `INVOICE_NOT_FOUND`; 409 `INVOICE_STATE_CONFLICT` (not accepted),
   * `CREDIT_EXCEEDS_REMAINING` (more than remains of a line, or of the invoice total BT-112), `CREDIT_NOTHING_REMAINING`;
   * 422 `CREDIT_NOTE_UNKNOWN_LINE`, `CREDIT_NOTE_DUPLICATE_LINE`, `CREDIT_NOTE_LINE_NOT_CREDITABLE`,
   * `CREDIT_NOTE_ORIGINAL_NOT_INVOICE`, `CREDIT_NOTE_NEEDS_JSON_SOURCE` (an invoice imported as XML: import its credit
   * note as XML instead); 415 for another content type.
   */
  @Post(':id/credit-note')
  @Roles('accountant')
  async creditNote(@Req() req: Request, @Param('id') id: string, @Body() body: unknown): Promise<InvoiceView> {
    // no body at all (`content-length: 0`, or neither a length nor chunks): the whole invoice with the defaults
    const length = Number(req.headers['content-length'] ?? Number.NaN);
    const noBody = length === 0 || (Number.isNaN(length) && req.headers['transfer-encoding'] === undefined);
    if (!noBody && !req.is('application/json')) throw new UnsupportedMediaTypeError(req.headers['content-type'], ['application/json']);
    return this.invoicing.createCreditNote(await this.tenants.resolve(req), actorOf(req), id, noBody ? {} : body);
  }

  /** `GET /v1/invoices/:id/xml?version=n`: the UBL XML of a version (default current), `application/xml`. */
  @Get(':id/xml')
  @Roles('accountant', 'user', 'tenant-admin')
  async xml(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Query('version') version?: string): Promise<void> {
    const { xml, version: v } = await this.invoicing.xml(await this.tenants.resolve(req), id, version === undefined ? undefined : intParam('version', version, 1));
    res.setHeader('content-type', 'application/xml; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${id}-v${v}.xml"`);
    res.end(xml);
  }

  /**
   * `GET /v1/invoices/:id/anaf-zip?version=n`: the ZIP ANAF answered for a version (default current; the signed invoice
   * or the error report), `application/zip`. 404 `ANAF_ANSWER_NOT_AVAILABLE` when that version has no archived answer,
   * `INVOICE_VERSION_NOT_FOUND` for an unknown version.
   */
  @Get(':id/anaf-zip')
  @Roles('accountant', 'user', 'tenant-admin')
  async anafZip(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Query('version') version?: string): Promise<void> {
    const v = version === undefined ? undefined : intParam('version', version, 1);
    const { zip, filename } = await this.invoicing.anafZip(await this.tenants.resolve(req), id, v);
    res.setHeader('content-type', 'application/zip');
    res.setHeader('content-disposition', `attachment; filename="${filename}"`);
    res.end(zip);
  }
}
