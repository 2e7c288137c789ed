import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { InboxRepository, type InboxSyncRun, type TenantDataSources } from '@cetate/invoicing-data-access';
import type { InboxSyncRequests, RequestedInboxRun } from '@cetate/invoicing-efactura';
import type { InboxMessageView, InboxSyncRunView } from '@cetate/invoicing-contracts';
import { Roles } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import type { TenantInfo } from './ports.js';
import { TENANT_INFO_RESOLVER, type TenantInfoResolver, actorOf } from './request-context.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function runView(r: InboxSyncRun): InboxSyncRunView {
  return {
    ...r,
    requestedAt: r.requestedAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    windowStart: iso(r.windowStart),
    windowEnd: iso(r.windowEnd),
  };
}

/** What the inbox endpoints need (built in `startInvoicingApi`). */
export class InboxService {
  private readonly repo = new InboxRepository();

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly requests: InboxSyncRequests,
    /** The tenant's companies whose inbox may be read now (authorised at ANAF), CIF digits. */
    private readonly authorisedCompanies: (tenant: TenantInfo) => Promise<string[]>,
  ) {}

  /** Asks for a run now of one company, or of every authorised company. See {@link InboxController.sync}. */
  async requestSync(tenant: TenantInfo, cif: string | undefined, requestedBy: string): Promise<RequestedInboxRun[]> {
    const companies = await this.authorisedCompanies(tenant);
    let cifs: string[];
    if (cif !== undefined) {
      const digits = cuiDigits(cif);
      if (!digits) throw new DomainError('VALIDATION_FAILED', `"cif" must be a CUI (2 to 10 digits, optionally RO), got "${cif}".`, { status: 400 });
      if (!companies.includes(digits)) {
        throw new DomainError('ANAF_COMPANY_NOT_AUTHORISED', `Company ${digits} is not an ANAF-authorised company of this tenant: connect it first (POST /v1/anaf/companies/${digits}/authorization).`, { status: 409 });
      }
      cifs = [digits];
    } else {
      cifs = companies;
    }
    if (!cifs.length) {
      throw new DomainError('ANAF_COMPANY_NOT_AUTHORISED', 'No company of this tenant is authorised at ANAF: connect one first (GET /v1/anaf/companies).', { status: 409 });
    }
    const ds = await this.dataSources.forTenant(tenant.slug);
    return this.requests.requestNow(ds, tenant.slug, cifs, requestedBy, randomUUID());
  }

  async run(tenant: TenantInfo, id: string): Promise<InboxSyncRunView> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.run(await this.dataSources.forTenant(tenant.slug), id) : null;
    if (!r) throw new DomainError('INBOX_SYNC_RUN_NOT_FOUND', `No inbox-sync run ${id} in this tenant.`, { status: 404 });
    return runView(r);
  }

  async runs(tenant: TenantInfo, cif: string | undefined, limit: number): Promise<InboxSyncRunView[]> {
    return (await this.repo.recentRuns(await this.dataSources.forTenant(tenant.slug), limit, cif)).map(runView);
  }

  async messages(tenant: TenantInfo, cif: string, limit: number): Promise<InboxMessageView[]> {
    return (await this.repo.messages(await this.dataSources.forTenant(tenant.slug), cif, limit)).map((m) => ({ ...m, dataCreare: iso(m.dataCreare), listedAt: m.listedAt.toISOString() }));
  }
}

/** A CUI as given (spaces, optional `RO`) as ANAF's `cif` parameter: 2 to 10 digits, or null when it is not one. */
function cuiDigits(raw: string): string | null {
  const digits = raw.trim().toUpperCase().replace(/^RO/, '');
  return /^\d{2,10}$/.test(digits) ? digits : null;
}

function limitParam(raw: string | undefined, dflt: number, max: number): number {
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "limit" must be an integer from 1 to ${max}.`, { status: 400 });
  return n;
}

function cifParam(raw: string | undefined, required: boolean): string | undefined {
  if (raw === undefined || raw === '') {
    if (required) throw new DomainError('INVALID_QUERY_PARAMETER', 'Query parameter "cif" is required.', { status: 400 });
    return undefined;
  }
  const digits = cuiDigits(raw);
  if (!digits) throw new DomainError('INVALID_QUERY_PARAMETER', `Query parameter "cif" must be a CUI, got "${raw}".`, { status: 400 });
  return digits;
}

/**
 * The SPV inbox of the caller's tenant (issue 10 point 2): ask for an inbox sync now and follow its runs. Supplier
 * invoices the runs find appear as purchase invoices in documents-api (`GET /v1/purchase-invoices`). Errors are
 * RFC 9457 problem+json with `traceId`.
 */
@Controller('v1/efactura/inbox')
export class InboxController {
  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(TENANT_INFO_RESOLVER) private readonly tenants: TenantInfoResolver,
  ) {}

  /**
   * `POST /v1/efactura/inbox/sync` (`accountant`, `tenant-admin`), JSON `{ cif?: string }`: a run of the inbox sync now
   * for that company, or for every ANAF-authorised company of the tenant. 202 `{ runs: [{ runId, cif }] }`: the runs
   * are queued (follow them at `GET /v1/efactura/inbox/runs/:id`). 400 `VALIDATION_FAILED`; 409
   * `ANAF_COMPANY_NOT_AUTHORISED` when the company (or every company) is not authorised at ANAF.
   */
  @Post('sync')
  @HttpCode(202)
  @Roles('accountant', 'tenant-admin')
  async sync(@Req() req: Request, @Body() body: unknown): Promise<{ runs: Array<{ runId: string; cif: string }> }> {
    const b = (body ?? {}) as { cif?: unknown };
    if (typeof b !== 'object' || Array.isArray(b) || (b.cif !== undefined && typeof b.cif !== 'string')) {
      throw new DomainError('VALIDATION_FAILED', 'Body must be a JSON object { "cif"?: string }.', { status: 400 });
    }
    const actor = actorOf(req);
    const runs = await this.inbox.requestSync(await this.tenants.resolve(req), b.cif as string | undefined, actor.username ?? actor.clientId ?? actor.subject);
    return { runs: runs.map((r) => ({ runId: r.runId, cif: r.cif })) };
  }

  /** `GET /v1/efactura/inbox/runs?cif=&limit=` (`accountant`, `tenant-admin`): the newest runs first (limit 1..200, default 20). */
  @Get('runs')
  @Roles('accountant', 'tenant-admin')
  async runs(@Req() req: Request, @Query('cif') cif?: string, @Query('limit') limit?: string): Promise<InboxSyncRunView[]> {
    return this.inbox.runs(await this.tenants.resolve(req), cifParam(cif, false), limitParam(limit, 20, 200));
  }

  /** `GET /v1/efactura/inbox/runs/:id` (`accountant`, `tenant-admin`): one run. 404 `INBOX_SYNC_RUN_NOT_FOUND`. */
  @Get('runs/:id')
  @Roles('accountant', 'tenant-admin')
  async run(@Req() req: Request, @Param('id') id: string): Promise<InboxSyncRunView> {
    return this.inbox.run(await this.tenants.resolve(req), id);
  }

  /**
   * `GET /v1/efactura/inbox/messages?cif=&limit=` (`accountant`, `tenant-admin`): the ANAF messages the inbox holds for
   * a company, newest first (limit 1..1000, default 100), each with its state (`listed`, `archived`, `recorded`,
   * `failed` with the reason), the archived ZIP and the signature check.
   */
  @Get('messages')
  @Roles('accountant', 'tenant-admin')
  async messages(@Req() req: Request, @Query('cif') cif?: string, @Query('limit') limit?: string): Promise<InboxMessageView[]> {
    return this.inbox.messages(await this.tenants.resolve(req), cifParam(cif, true)!, limitParam(limit, 100, 1000));
  }
}
