/**
 * Client of invoicing-api through the shell's gateway (`apiBase` = `/api/invoicing`, then `/v1/invoices...`),
 * with `Authorization: Bearer <token>` from the shell's `getToken()` (refreshed by the shell before expiry).
 * Shapes: `InvoiceView`, `InvoiceDetailView`, `SendResult` of `@cetate/invoicing-contracts` (types only).
 * Every non-2xx answer throws {@link ApiProblem} (RFC 9457 problem+json).
 */
import { ApiProblem, problemFromResponse } from './problem.js';
import type { InvoiceDocumentInput } from '@cetate/invoicing-contracts';

export type { AnafCompanyStatus, AnafCompanyView, InboxSyncRunView, InvoiceDetailView, InvoiceView, SendResult, TaxpayerBuyerView } from '@cetate/invoicing-contracts';
import type { AnafCompanyView, InboxSyncRunView, InvoiceDetailView, InvoiceView, SendResult, TaxpayerBuyerView } from '@cetate/invoicing-contracts';

/** A downloaded file (XML or ZIP) with the name from `content-disposition`. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** Calls of invoicing-api used by the remote. */
export class InvoicingApi {
  constructor(
    private readonly apiBase: string,
    private readonly getToken: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.getToken();
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json');
    const res = await this.fetchFn(`${this.apiBase.replace(/\/$/, '')}${path}`, { ...init, headers });
    if (!res.ok) throw await problemFromResponse(res);
    return res;
  }

  /** `GET /v1/invoices?state=&limit=&offset=` → `{ items, total }`, newest first; `limit` 1..200. */
  async list(q: { state?: string; buyer?: string; issuedFrom?: string; issuedTo?: string; limit: number; offset: number }): Promise<{ items: InvoiceView[]; total: number }> {
    const p = new URLSearchParams({ limit: String(q.limit), offset: String(q.offset) });
    if (q.state) p.set('state', q.state);
    if (q.buyer) p.set('buyer', q.buyer);
    if (q.issuedFrom) p.set('issuedFrom', q.issuedFrom);
    if (q.issuedTo) p.set('issuedTo', q.issuedTo);
    return (await this.call(`/v1/invoices?${p}`)).json();
  }

  /** `GET /v1/invoices/:id` → detail. 404 `INVOICE_NOT_FOUND`. */
  async get(id: string): Promise<InvoiceDetailView> {
    return (await this.call(`/v1/invoices/${encodeURIComponent(id)}`)).json();
  }

  /** `POST /v1/invoices` (JSON, EN 16931 terms) → 201 `InvoiceView` (draft). 400 `VALIDATION_FAILED` with `errors`. */
  async create(doc: InvoiceDocumentInput): Promise<InvoiceView> {
    return (await this.call('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) })).json();
  }

  /** `POST /v1/invoices/import` (`application/xml`, ≤ 10 MB) → 201 `InvoiceView`. 400 `UBL_MALFORMED`/`UBL_UNKNOWN_ROOT`. */
  async importXml(xml: Blob): Promise<InvoiceView> {
    return (await this.call('/v1/invoices/import', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })).json();
  }

  /** `POST /v1/invoices/:id/send` → 202 {@link SendResult}. 409 `INVOICE_STATE_CONFLICT`. */
  async send(id: string): Promise<SendResult> {
    return (await this.call(`/v1/invoices/${encodeURIComponent(id)}/send`, { method: 'POST' })).json();
  }

  /**
   * `POST /v1/invoices/:id/versions` (`application/xml`, ≤ 10 MB): the corrected UBL of an invoice in `invalid`,
   * `rejected` or `failed` → 201 `InvoiceView` (state `draft`, version n+1). 400 `UBL_MALFORMED`/`UBL_UNKNOWN_ROOT`/
   * `VALIDATION_FAILED`, 404 `INVOICE_NOT_FOUND`, 409 `INVOICE_STATE_CONFLICT` (another state); nothing stored then.
   */
  async createVersionXml(id: string, xml: Blob): Promise<InvoiceView> {
    return (await this.call(`/v1/invoices/${encodeURIComponent(id)}/versions`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })).json();
  }

  /**
   * `POST /v1/invoices/:id/credit-note` with `{}`: a full credit note (CreditNote, BT-3 381) of an `accepted` invoice
   * → 201 the credit note's `InvoiceView` (draft). 409 `INVOICE_STATE_CONFLICT` / `CREDIT_NOTHING_REMAINING`,
   * 422 `CREDIT_NOTE_NEEDS_JSON_SOURCE` (an invoice imported as XML).
   */
  async creditNote(id: string): Promise<InvoiceView> {
    return (await this.call(`/v1/invoices/${encodeURIComponent(id)}/credit-note`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  }

  /** `GET /v1/invoices/:id/xml?version=n` → the UBL XML of a version (default: current). */
  async xml(id: string, version?: number): Promise<Download> {
    const q = version === undefined ? '' : `?version=${version}`;
    return download(await this.call(`/v1/invoices/${encodeURIComponent(id)}/xml${q}`, { headers: { accept: 'application/xml' } }), `${id}.xml`);
  }

  /**
   * `GET /v1/invoices/:id/anaf-zip?version=n` → ANAF's ZIP of a version (default: current). 404
   * `ANAF_ANSWER_NOT_AVAILABLE` before ANAF answered, `INVOICE_VERSION_NOT_FOUND` for an unknown version.
   */
  async anafZip(id: string, version?: number): Promise<Download> {
    const q = version === undefined ? '' : `?version=${version}`;
    const fallback = version === undefined ? `${id}.zip` : `${id}-v${version}.zip`;
    return download(await this.call(`/v1/invoices/${encodeURIComponent(id)}/anaf-zip${q}`, { headers: { accept: 'application/zip' } }), fallback);
  }

  /**
   * `GET /v1/anaf/companies` (`accountant`, `tenant-admin`) → the tenant's companies, its own CIF first, each with its
   * ANAF authorisation status (issue 10 point 1). 503 `ANAF_OAUTH_NOT_CONFIGURED` when the API has no ANAF OAuth client.
   */
  async anafCompanies(): Promise<AnafCompanyView[]> {
    return (await this.call('/v1/anaf/companies')).json();
  }

  /**
   * `POST /v1/anaf/companies` `{ cif, name }` (`tenant-admin`) → 201 the company (`not_authorized`; an existing CIF is
   * renamed). 400 `ANAF_COMPANY_INVALID` (CUI check digit, empty name), 400 `VALIDATION_FAILED`.
   */
  async addAnafCompany(cif: string, name: string): Promise<AnafCompanyView> {
    return (await this.call('/v1/anaf/companies', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cif, name }) })).json();
  }

  /**
   * `POST /v1/anaf/companies/:cif/authorization` (`tenant-admin`) → `{ authorizeUrl }`: ANAF's OAuth authorize URL
   * (certificate login; single-use `state`, 10 minutes). ANAF then sends the browser to the API's public callback.
   * 404 `ANAF_COMPANY_NOT_FOUND`.
   */
  async startAnafAuthorization(cif: string): Promise<{ authorizeUrl: string }> {
    return (await this.call(`/v1/anaf/companies/${encodeURIComponent(cif)}/authorization`, { method: 'POST' })).json();
  }

  /**
   * `POST /v1/efactura/inbox/sync` `{ cif }` (`accountant`, `tenant-admin`) → 202 `{ runs: [{ runId, cif }] }`: a run
   * of the SPV inbox sync now (issue 10 point 2). 409 `ANAF_COMPANY_NOT_AUTHORISED` when the CIF is not authorised.
   */
  async requestInboxSync(cif: string): Promise<{ runs: Array<{ runId: string; cif: string }> }> {
    return (await this.call('/v1/efactura/inbox/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cif }) })).json();
  }

  /** `GET /v1/efactura/inbox/runs/:id` (`accountant`, `tenant-admin`) → one run. 404 `INBOX_SYNC_RUN_NOT_FOUND`. */
  async inboxRun(id: string): Promise<InboxSyncRunView> {
    return (await this.call(`/v1/efactura/inbox/runs/${encodeURIComponent(id)}`)).json();
  }

  /**
   * `GET /v1/taxpayers/:cui` (any tenant user) → {@link TaxpayerBuyerView} as ANAF knows the CUI today (24 h cache).
   * 400 `INVALID_CUI` (ANAF not asked), 404 `TAXPAYER_NOT_FOUND`, 503 `ANAF_UNAVAILABLE`.
   */
  async taxpayer(cui: string): Promise<TaxpayerBuyerView> {
    return (await this.call(`/v1/taxpayers/${encodeURIComponent(cui)}`)).json();
  }
}

/** File name of a `content-disposition: attachment; filename="x"` header, `fallback` without one. */
export function filenameOf(contentDisposition: string | null, fallback: string): string {
  const m = contentDisposition ? /filename="?([^";]+)"?/i.exec(contentDisposition) : null;
  return m?.[1] ?? fallback;
}

async function download(res: Response, fallback: string): Promise<Download> {
  return { blob: await res.blob(), filename: filenameOf(res.headers.get('content-disposition'), fallback) };
}

export { ApiProblem };
