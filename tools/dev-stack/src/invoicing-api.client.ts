import type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-api';
import { isSettled } from '@cetate/invoicing-domain';

/**
 * A small typed HTTP client of `invoicing-api` for the CLI, the demo and end-to-end tests.
 * Errors: non-2xx answers throw {@link ApiProblemError} carrying the RFC 9457 problem body.
 */

export type { InvoiceDetailView, InvoiceView } from '@cetate/invoicing-api';

/** Problem answer of the API (RFC 9457). */
export class ApiProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; title?: string; traceId?: string; errors?: unknown },
  ) {
    super(`${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? 'request failed'}`);
  }
}

/** HTTP client of `invoicing-api` (`/v1/invoices`). */
export class InvoicingApiClient {
  constructor(private readonly baseUrl: string, private readonly token: () => Promise<string>) {}

  private async call<T>(method: string, path: string, body?: { data: string | Buffer; type: string }): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token()}`, ...(body ? { 'content-type': body.type } : {}) },
      body: body?.data,
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : {};
    if (!res.ok) throw new ApiProblemError(res.status, parsed as ApiProblemError['problem']);
    return parsed as T;
  }

  /** `POST /v1/invoices/import` with a UBL 2.1 XML. */
  importXml(xml: Buffer | string): Promise<InvoiceView> {
    return this.call('POST', '/v1/invoices/import', { data: xml, type: 'application/xml' });
  }

  /** `POST /v1/invoices` with an EN 16931 JSON document. */
  create(doc: unknown): Promise<InvoiceView> {
    return this.call('POST', '/v1/invoices', { data: JSON.stringify(doc), type: 'application/json' });
  }

  /** `POST /v1/invoices/:id/send`. */
  send(id: string): Promise<SendResult> {
    return this.call('POST', `/v1/invoices/${id}/send`);
  }

  /** `GET /v1/invoices/:id`. */
  get(id: string): Promise<InvoiceDetailView> {
    return this.call('GET', `/v1/invoices/${id}`);
  }

  /**
   * Polls `GET /v1/invoices/:id` until the worker is done with the invoice (`isSettled`: accepted,
   * rejected, invalid, failed) or `timeoutMs` has passed; returns the last view, whatever its state.
   * `onState` sees every new state (progress).
   */
  async waitForFinal(id: string, { timeoutMs = 120_000, intervalMs = 300, onState }: { timeoutMs?: number; intervalMs?: number; onState?: (s: string) => void } = {}): Promise<InvoiceView> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const inv = await this.get(id);
      if (inv.efactura.state !== last) {
        last = inv.efactura.state;
        onState?.(last);
      }
      if (isSettled(inv.efactura.state) || Date.now() > deadline) return inv;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
