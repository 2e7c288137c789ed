/**
 * A small typed HTTP client of `invoicing-api` for the CLI, the demo and end-to-end tests.
 * Errors: non-2xx answers throw {@link ApiProblemError} carrying the RFC 9457 problem body.
 */

/** Subset of the API's `InvoiceView` the tools read. */
export interface InvoiceSummaryView {
  id: string;
  number: string;
  documentType: string;
  version: number;
  efactura: {
    state: string;
    indexIncarcare: string | null;
    idDescarcare: string | null;
    fatal: string[];
    messages: Array<{ ruleId?: string; flag: string; message: string }>;
    reason: string | null;
    anafZipAvailable: boolean;
  };
}

/** Problem answer of the API (RFC 9457). */
export class ApiProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; title?: string; traceId?: string; errors?: unknown },
  ) {
    super(`${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? 'request failed'}`);
  }
}

/** States after which nothing more happens without a user action. */
export const FINAL_STATES = new Set(['accepted', 'rejected', 'invalid', 'failed']);

/** Client-credentials token (RFC 6749 §4.4) from a Keycloak-layout realm, cached until 30 s before expiry. */
export class ClientCredentials {
  private cached?: { token: string; until: number };
  constructor(private readonly tokenUrl: string, private readonly clientId: string, private readonly clientSecret: string) {}

  /** @throws Error with the identity server's answer when the token request fails. */
  async token(): Promise<string> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.token;
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret }),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`token request to ${this.tokenUrl} failed: ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`);
    this.cached = { token: body.access_token, until: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
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
  importXml(xml: Buffer | string): Promise<InvoiceSummaryView> {
    return this.call('POST', '/v1/invoices/import', { data: xml, type: 'application/xml' });
  }

  /** `POST /v1/invoices` with an EN 16931 JSON document. */
  create(doc: unknown): Promise<InvoiceSummaryView> {
    return this.call('POST', '/v1/invoices', { data: JSON.stringify(doc), type: 'application/json' });
  }

  /** `POST /v1/invoices/:id/send`. */
  send(id: string): Promise<{ id: string; version: number; state: string; queued: boolean }> {
    return this.call('POST', `/v1/invoices/${id}/send`);
  }

  /** `GET /v1/invoices/:id`. */
  get(id: string): Promise<InvoiceSummaryView & { history: Array<{ event: string; state: string; traceId: string | null }> }> {
    return this.call('GET', `/v1/invoices/${id}`);
  }

  /**
   * Polls `GET /v1/invoices/:id` until the e-Factura state is final (or `unknown` for longer than
   * `timeoutMs`). Returns the last view; `onState` sees every new state (progress).
   */
  async waitForFinal(id: string, { timeoutMs = 120_000, intervalMs = 300, onState }: { timeoutMs?: number; intervalMs?: number; onState?: (s: string) => void } = {}): Promise<InvoiceSummaryView> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const inv = await this.get(id);
      if (inv.efactura.state !== last) {
        last = inv.efactura.state;
        onState?.(last);
      }
      if (FINAL_STATES.has(inv.efactura.state) || Date.now() > deadline) return inv;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
