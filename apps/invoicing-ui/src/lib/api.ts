/**
 * Client of invoicing-api through the shell's gateway (`apiBase` = `/api/invoicing`, then `/v1/invoices...`),
 * with `Authorization: Bearer <token>` from the shell's `getToken()` (refreshed by the shell before expiry).
 * Shapes: `InvoiceView`, `InvoiceDetailView`, `SendResult` of `@cetate/invoicing-contracts` (types only).
 * Every non-2xx answer throws {@link ApiProblem} (RFC 9457 problem+json).
 */
import { ApiProblem, problemFromResponse } from './problem.js';
import type { InvoiceDocumentInput } from '@cetate/invoicing-contracts';

export type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-contracts';
import type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-contracts';

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
