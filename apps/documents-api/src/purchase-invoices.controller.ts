import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { PurchaseInvoiceView } from '@cetate/documents-contracts';
import { Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { PurchaseInvoiceNotFoundError } from './documents.errors.js';
import { DocumentsService } from './documents.service.js';
import { intParam, tenantOf } from './request-context.js';

/** Purchase invoices (schema `purchases`) of the caller's tenant, read only here; any user of the tenant. */
@Controller('v1/purchase-invoices')
export class PurchaseInvoicesController {
  constructor(@Inject(DocumentsService) private readonly documents: DocumentsService) {}

  /**
   * `GET /v1/purchase-invoices?supplierCif=&limit=&offset=`: newest first, with VAT breakdown and lines; `supplierCif`
   * with or without `RO`; `limit` 1..200 (default 50). 400 `INVALID_QUERY_PARAMETER`.
   */
  @Get()
  @Roles('accountant', 'user', 'tenant-admin')
  async list(
    @Req() req: Request,
    @Query('supplierCif') supplierCif?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ): Promise<{ items: PurchaseInvoiceView[]; total: number }> {
    if (supplierCif !== undefined && supplierCif !== '' && !/^(RO)?\d{2,10}$/i.test(supplierCif)) {
      throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "supplierCif" must be a CUI (2 to 10 digits, optionally RO), got "${supplierCif}".`, { status: 400 });
    }
    const l = intParam('limit', limit, 50, 200);
    if (l < 1) throw new DomainError('INVALID_QUERY_PARAMETER', 'Query parameter "limit" must be from 1 to 200.', { status: 400 });
    return this.documents.listPurchaseInvoices(tenantOf(req), { supplierCif: supplierCif || undefined, limit: l, offset: intParam('offset', offset, 0) });
  }

  /** `GET /v1/purchase-invoices/:id`. 404 `PURCHASE_INVOICE_NOT_FOUND`. */
  @Get(':id')
  @Roles('accountant', 'user', 'tenant-admin')
  async get(@Req() req: Request, @Param('id') id: string): Promise<PurchaseInvoiceView> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new PurchaseInvoiceNotFoundError(id);
    return this.documents.getPurchaseInvoice(tenantOf(req), id);
  }
}
