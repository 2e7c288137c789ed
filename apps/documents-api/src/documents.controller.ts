import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DOCUMENT_STATUSES, type ConfirmResult, type DocumentStatus, type DocumentView } from '@cetate/documents-contracts';
import { Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { UnsupportedDocumentTypeError } from './documents.errors.js';
import { DocumentsService } from './documents.service.js';
import { DuplicateProblemFilter } from './duplicate-problem.filter.js';
import { uploadFilename } from './file-type.js';
import { actorOf, correlationIdOf, intParam, tenantOf } from './request-context.js';

/**
 * Documents of the caller's tenant (the tenant comes from the verified token's realm). Errors are RFC 9457
 * problem+json with `traceId`. Roles (Keycloak realm roles): reading needs `accountant`, `user` or `tenant-admin`;
 * uploading, correcting and confirming need `accountant`.
 */
@Controller('v1/documents')
@UseFilters(DuplicateProblemFilter)
export class DocumentsController {
  constructor(@Inject(DocumentsService) private readonly documents: DocumentsService) {}

  /**
   * `POST /v1/documents?filename=`: upload a supplier invoice. Body: the file itself (any `Content-Type`; the type is
   * decided by the first bytes: PDF, PNG, JPEG or TIFF), at most 20 MiB; the name from `filename` or
   * `Content-Disposition`. 201 → `DocumentView` (status `uploaded`; `worker-ocr` reads it next). 400 `DOCUMENT_EMPTY`,
   * 413 `PAYLOAD_TOO_LARGE`, 415 `UNSUPPORTED_MEDIA_TYPE`: nothing stored.
   */
  @Post()
  @Roles('accountant')
  async upload(@Req() req: Request, @Query('filename') filename?: string): Promise<DocumentView> {
    // a JSON body was taken by the JSON parser (mounted first): not a file of an accepted type
    if (!Buffer.isBuffer(req.body) && req.is(['application/json', 'application/*+json'])) throw new UnsupportedDocumentTypeError(req.headers['content-type']);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const name = uploadFilename(filename, req.headers['content-disposition'], 'document');
    return this.documents.upload(tenantOf(req), actorOf(req), { bytes, filename: name, declaredType: req.headers['content-type'] }, correlationIdOf(req));
  }

  /**
   * `GET /v1/documents?status=&limit=&offset=`: newest first, without the fields; `status` one of `uploaded`,
   * `processing`, `extracted`, `failed`, `confirmed`; `limit` 1..200 (default 50). 400 `INVALID_QUERY_PARAMETER`.
   */
  @Get()
  @Roles('accountant', 'user', 'tenant-admin')
  async list(@Req() req: Request, @Query('status') status?: string, @Query('limit') limit?: string, @Query('offset') offset?: string): Promise<{ items: DocumentView[]; total: number }> {
    if (status !== undefined && status !== '' && !(DOCUMENT_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "status" must be one of ${DOCUMENT_STATUSES.join(', ')}, got "${status}".`, { status: 400 });
    }
    const l = intParam('limit', limit, 50, 200);
    if (l < 1) throw new DomainError('INVALID_QUERY_PARAMETER', 'Query parameter "limit" must be from 1 to 200.', { status: 400 });
    return this.documents.list(tenantOf(req), { status: (status || undefined) as DocumentStatus | undefined, limit: l, offset: intParam('offset', offset, 0) });
  }

  /**
   * `GET /v1/documents/:id`: status, progress (`pagesDone`/`pages`), error, the fields read (value, confidence 0..1,
   * page and box of each), `duplicateOf` and `sameFileAs`. 404 `DOCUMENT_NOT_FOUND`.
   */
  @Get(':id')
  @Roles('accountant', 'user', 'tenant-admin')
  async get(@Req() req: Request, @Param('id') id: string): Promise<DocumentView> {
    return this.documents.get(tenantOf(req), id);
  }

  /** `GET /v1/documents/:id/file`: the uploaded file as it was sent, with its detected type. 404 `DOCUMENT_NOT_FOUND`. */
  @Get(':id/file')
  @Roles('accountant', 'user', 'tenant-admin')
  async file(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const f = await this.documents.file(tenantOf(req), id);
    res.setHeader('content-type', f.mime);
    res.setHeader('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    res.end(f.bytes);
  }

  /**
   * `PATCH /v1/documents/:id/fields` (application/json, `FieldCorrectionsSchema`): correct or confirm values of an
   * `extracted` (or `failed`) document; a member left out keeps what was read, `null` removes it; each value given is
   * stored with confidence 1 and `corrected: true`. 200 → `DocumentView`. 400 `VALIDATION_FAILED`; 404; 409
   * `DOCUMENT_STATE_CONFLICT`; 422 `DOCUMENT_FIELDS_INVALID` (a CUI check digit or IBAN check that fails).
   */
  @Patch(':id/fields')
  @Roles('accountant')
  async correct(@Req() req: Request, @Param('id') id: string, @Body() body: unknown): Promise<DocumentView> {
    return this.documents.correct(tenantOf(req), id, body);
  }

  /**
   * `POST /v1/documents/:id/confirm` (optional JSON body: corrections as for `PATCH .../fields`): makes the draft
   * purchase invoice from the fields. 201 → `{ document, purchaseInvoice }` (document `confirmed`). 409
   * `PURCHASE_INVOICE_DUPLICATE` with `existingId` when the same supplier CUI + number + issue date exists (nothing
   * created, the document flagged `duplicateOf`), 409 `DOCUMENT_STATE_CONFLICT`, 422 `DOCUMENT_FIELDS_INVALID`
   * (supplier CUI, number or issue date missing; a check that fails), 400, 404.
   */
  @Post(':id/confirm')
  @Roles('accountant')
  async confirm(@Req() req: Request, @Param('id') id: string, @Body() body: unknown): Promise<ConfirmResult> {
    return this.documents.confirm(tenantOf(req), actorOf(req), id, Buffer.isBuffer(body) ? undefined : body);
  }

  /** `POST /v1/documents/:id/extract`: read a `failed` document again. 202 → `DocumentView` (`uploaded`). 404; 409 otherwise. */
  @Post(':id/extract')
  @HttpCode(202)
  @Roles('accountant')
  async extractAgain(@Req() req: Request, @Param('id') id: string): Promise<DocumentView> {
    return this.documents.extractAgain(tenantOf(req), id, correlationIdOf(req));
  }
}
