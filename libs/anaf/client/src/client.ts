import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import {
  AnafCircuitOpenError,
  AnafError,
  AnafHttpError,
  AnafNetworkError,
  AnafNotSentError,
  AnafProtocolError,
  AnafQuotaExceededError,
  AnafTimeoutError,
  type AnafEndpoint,
} from './errors.js';
import { checkStatus, sendRaw, type RawAnswer } from './http.js';
import {
  isErrorReport,
  parseErrorReport,
  parseListaResponse,
  parseStareMesajResponse,
  parseUploadResponse,
  parseValidareResponse,
  throwDescarcareFailure,
  type AnafErrorReport,
  type AnafMessage,
  type StareMesajResult,
  type UploadResult,
  type ValidareResult,
} from './parsers.js';
import { minuteKey, type QuotaEndpoint, type QuotaLedger } from './quota.js';
import { unzipBuffer } from './zip.js';

/** Retry policy for idempotent reads (never applied to upload). */
export interface AnafRetryOptions {
  /** Total attempts including the first (default 4). */
  maxAttempts?: number;
  /** Base of the exponential backoff in ms (default 500): delay n = random(0, min(max, base·2^n)). */
  baseDelayMs?: number;
  /** Cap of one backoff delay in ms (default 10000). */
  maxDelayMs?: number;
}

/** Circuit breaker options (one opossum breaker per endpoint). */
export interface AnafBreakerOptions {
  /** Default true. */
  enabled?: boolean;
  /** Failure percentage in the rolling window that opens the circuit (default 50). */
  errorThresholdPercentage?: number;
  /** Time the circuit stays open before a trial call, ms (default 30000). */
  resetTimeoutMs?: number;
  /** Minimum calls in the window before it may open (default 5). */
  volumeThreshold?: number;
  /** Rolling statistics window, ms (default 10000). */
  rollingCountTimeoutMs?: number;
}

/** Options of {@link AnafClient}. */
export interface AnafClientOptions {
  /** API base, e.g. `https://api.anaf.ro/test/FCTEL/rest` or `http://127.0.0.1:8095/test/FCTEL/rest`. */
  apiBaseUrl: string;
  /**
   * Base of the public validare endpoint. Default: `https://webservicesp.anaf.ro/prod/FCTEL/rest` for
   * api.anaf.ro, otherwise `apiBaseUrl` with `/test/` replaced by `/prod/` (the simulator's layout).
   */
  publicBaseUrl?: string;
  /** Returns a valid OAuth access token (e.g. {@link RefreshingTokenProvider.getAccessToken}). */
  tokenProvider: () => Promise<string>;
  /** Per-request timeout in ms covering headers and body (default 30000). */
  timeoutMs?: number;
  /** Daily quota accounting consulted before each ANAF call (stareMesaj, descarcare, lists). */
  quota?: QuotaLedger;
  retry?: AnafRetryOptions;
  breaker?: AnafBreakerOptions;
  /** Sleep used between retries (tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Options of {@link AnafClient.upload}; `DA` flags per ANAF upload API. */
export interface UploadOptions {
  /** Seller CIF; an `RO` prefix is stripped (ANAF wants digits only). */
  cif: string;
  /** `UBL` for Invoice, `CN` for CreditNote, `CII`, `RASP` (buyer message). */
  standard: 'UBL' | 'CN' | 'CII' | 'RASP';
  /** Buyer outside Romania (`extern=DA`). */
  extern?: boolean;
  /** Self-billing, type 389 (`autofactura=DA`). */
  autofactura?: boolean;
  /** Enforcement (`executare=DA`). */
  executare?: boolean;
  /** Use `uploadb2c` instead of `upload`. */
  b2c?: boolean;
}

/** Content of a descarcare ZIP. */
export interface DescarcareResult {
  /** The ZIP exactly as downloaded (archive it). */
  zip: Buffer;
  /** All files of the ZIP. */
  files: { name: string; content: Buffer }[];
  /** Upload index taken from the file name `<index>.xml`. */
  indexIncarcare?: string;
  /** The signed invoice (accepted upload or received supplier invoice). */
  invoiceXml?: Buffer;
  /** The parsed error report (rejected upload). */
  errorReport?: AnafErrorReport;
  /** Raw error report XML (rejected upload). */
  errorReportXml?: Buffer;
  /** `semnatura_<index>.xml`: XMLDSig signature of the first file. */
  signatureXml: Buffer;
}

/** Filter of the message lists: E = ERORI FACTURA, T = FACTURA TRIMISA, P = FACTURA PRIMITA, R = buyer messages. */
export type Filtru = 'E' | 'T' | 'P' | 'R';

interface CallSpec<T> {
  endpoint: AnafEndpoint;
  attrs: Attributes;
  idempotent: boolean;
  quota?: { endpoint: QuotaEndpoint; key: string };
  attempt: (span: Span) => Promise<T>;
}

const TRACER = '@cetate/anaf-client';

function digitsCif(cif: string): string {
  return cif.trim().replace(/^RO\s*/i, '');
}

/**
 * The one ANAF e-Factura API client (ANAF-EFACTURA.md): OAuth bearer per call, per-call timeout,
 * retry with exponential backoff and full jitter for idempotent reads only (upload is never
 * retried), an opossum circuit breaker per endpoint, optional daily quota ledger, and an
 * OpenTelemetry span `anaf.<endpoint>` per call (attributes `anaf.cif`, `anaf.index_incarcare`,
 * `anaf.id_descarcare`, `http.response.status_code`, `anaf.attempts`). Uses global fetch.
 */
export class AnafClient {
  private readonly base: string;
  private readonly publicBase: string;
  private readonly timeoutMs: number;
  private readonly retry: Required<AnafRetryOptions>;
  private readonly breakerOpts: Required<AnafBreakerOptions>;
  private readonly breakers = new Map<AnafEndpoint, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: AnafClientOptions) {
    this.base = opts.apiBaseUrl.replace(/\/+$/, '');
    this.publicBase = (
      opts.publicBaseUrl ??
      (/^https:\/\/api\.anaf\.ro\//.test(this.base)
        ? 'https://webservicesp.anaf.ro/prod/FCTEL/rest'
        : this.base.replace(/\/test\/FCTEL\/rest$/, '/prod/FCTEL/rest'))
    ).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, ...opts.retry };
    this.breakerOpts = {
      enabled: true,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 30_000,
      volumeThreshold: 5,
      rollingCountTimeoutMs: 10_000,
      ...opts.breaker,
    };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** State of an endpoint's circuit breaker: `closed`, `open` or `halfOpen`. */
  circuitState(endpoint: AnafEndpoint): 'closed' | 'open' | 'halfOpen' {
    const b = this.breakers.get(endpoint);
    if (!b) return 'closed';
    return b.opened ? 'open' : b.halfOpen ? 'halfOpen' : 'closed';
  }

  /** Stops breaker timers (call on shutdown). */
  shutdown(): void {
    for (const b of this.breakers.values()) b.shutdown();
    this.breakers.clear();
  }

  private breaker(endpoint: AnafEndpoint): CircuitBreaker<[() => Promise<unknown>], unknown> {
    let b = this.breakers.get(endpoint);
    if (!b) {
      b = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
        timeout: false,
        errorThresholdPercentage: this.breakerOpts.errorThresholdPercentage,
        resetTimeout: this.breakerOpts.resetTimeoutMs,
        volumeThreshold: this.breakerOpts.volumeThreshold,
        rollingCountTimeout: this.breakerOpts.rollingCountTimeoutMs,
        // Only failures that say something about ANAF's health count toward opening the circuit.
        errorFilter: (err: unknown) => !AnafClient.isHealthFailure(err),
      });
      this.breakers.set(endpoint, b);
    }
    return b;
  }

  private static isHealthFailure(err: unknown): boolean {
    return (
      err instanceof AnafTimeoutError ||
      err instanceof AnafNetworkError ||
      err instanceof AnafProtocolError ||
      (err instanceof AnafHttpError && (err.status >= 500 || err.status === 429))
    );
  }

  private async guarded<T>(endpoint: AnafEndpoint, fn: () => Promise<T>): Promise<T> {
    if (!this.breakerOpts.enabled) return fn();
    try {
      return (await this.breaker(endpoint).fire(fn)) as T;
    } catch (err) {
      if ((err as { code?: string })?.code === 'EOPENBREAKER') throw new AnafCircuitOpenError(endpoint);
      throw err;
    }
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * cap);
  }

  private async call<T>(spec: CallSpec<T>): Promise<T> {
    const tracer = trace.getTracer(TRACER);
    return tracer.startActiveSpan(`anaf.${spec.endpoint}`, { attributes: { 'anaf.endpoint': spec.endpoint, ...spec.attrs } }, async (span) => {
      let attempt = 0;
      try {
        for (;;) {
          attempt++;
          span.setAttribute('anaf.attempts', attempt);
          try {
            await this.beforeSending(spec.endpoint, () => this.takeCallSlot(span));
            const result = await this.guarded(spec.endpoint, async () => {
              if (spec.quota && this.opts.quota && !(await this.beforeSending(spec.endpoint, () => this.opts.quota!.take(spec.quota!.endpoint, spec.quota!.key)))) {
                const remaining = await this.opts.quota.remaining(spec.quota.endpoint, spec.quota.key);
                throw new AnafQuotaExceededError(
                  spec.endpoint,
                  `local quota ledger: daily quota used up for ${spec.quota.key} (remaining ${remaining})`,
                  'ledger',
                  undefined,
                  spec.quota.key,
                );
              }
              try {
                return await spec.attempt(span);
              } catch (err) {
                if (err instanceof AnafQuotaExceededError && err.source === 'anaf' && spec.quota && this.opts.quota?.exhaust) {
                  await this.opts.quota.exhaust(spec.quota.endpoint, spec.quota.key);
                }
                throw err;
              }
            });
            span.setStatus({ code: SpanStatusCode.OK });
            return result;
          } catch (err) {
            const retry =
              spec.idempotent &&
              err instanceof AnafError &&
              err.retryable &&
              !(err instanceof AnafCircuitOpenError) &&
              attempt < this.retry.maxAttempts;
            if (!retry) throw err;
            span.addEvent('anaf.retry', { 'anaf.attempt': attempt, 'error.type': (err as AnafError).code });
            await this.sleep(this.backoff(attempt));
          }
        }
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        if (err instanceof AnafError) span.setAttribute('error.type', err.code);
        throw err;
      } finally {
        span.end();
      }
    });
  }

  /**
   * Runs a local step that comes before the request (token, quota ledger): an unexpected failure there becomes
   * {@link AnafNotSentError}, so a caller knows ANAF has nothing (an upload may be repeated); typed ANAF errors
   * (e.g. `AnafAuthError` from the token endpoint) and "no authorisation yet" pass unchanged.
   */
  private async beforeSending<T>(endpoint: AnafEndpoint, step: () => Promise<T> | T): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof AnafError || (err as { code?: string })?.code === 'ANAF_AUTH_REQUIRED') throw err;
      throw new AnafNotSentError(endpoint, err);
    }
  }

  /**
   * Waits for a slot of ANAF's overall limit (1,000 calls per minute, the ledger's `apiCalls` quota keyed by the
   * minute) when a ledger is configured: over the limit, the call waits for the next minute instead of failing, so
   * every process sharing the ledger stays under ANAF's limit together.
   */
  private async takeCallSlot(span: Span): Promise<void> {
    const ledger = this.opts.quota;
    if (!ledger) return;
    for (;;) {
      const now = Date.now();
      if (await ledger.take('apiCalls', minuteKey(now))) return;
      const wait = 60_000 - (now % 60_000) + Math.round(Math.random() * 250);
      span.addEvent('anaf.rate_limited', { 'anaf.wait_ms': wait });
      await this.sleep(wait);
    }
  }

  private async request(
    span: Span,
    endpoint: AnafEndpoint,
    method: 'GET' | 'POST',
    url: string,
    init: { body?: Buffer | string; contentType?: string; auth?: boolean; isUpload?: boolean } = {},
  ): Promise<RawAnswer> {
    const headers: Record<string, string> = { Accept: 'application/json, application/xml, application/zip, text/plain, */*' };
    if (init.auth !== false) headers['Authorization'] = `Bearer ${await this.beforeSending(endpoint, () => this.opts.tokenProvider())}`;
    if (init.contentType) headers['Content-Type'] = init.contentType;
    const ans = await sendRaw({
      endpoint,
      method,
      url,
      headers,
      timeoutMs: this.timeoutMs,
      outcomeUnknownOnLoss: !!init.isUpload,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    span.setAttribute('http.response.status_code', ans.status);
    checkStatus(endpoint, ans, !!init.isUpload);
    return ans;
  }

  /**
   * Uploads an invoice (ANAF upload API: `POST upload|uploadb2c?standard&cif[&extern=DA]...`).
   * Never retried: on AnafTimeoutError/5xx the outcome is unknown (`outcomeUnknown`), reconcile
   * through the message list.
   * @returns `{ indexIncarcare, dateResponse }`.
   * @throws AnafUploadRefusedError (ExecutionStatus=1), AnafQuotaExceededError, AnafTimeoutError,
   *   AnafHttpError, AnafAuthError, AnafProtocolError, AnafCircuitOpenError (nothing sent).
   */
  upload(xml: Buffer | string, o: UploadOptions): Promise<UploadResult> {
    const endpoint: AnafEndpoint = o.b2c ? 'uploadb2c' : 'upload';
    const cif = digitsCif(o.cif);
    const q = new URLSearchParams({ standard: o.standard, cif });
    if (o.extern) q.set('extern', 'DA');
    if (o.autofactura) q.set('autofactura', 'DA');
    if (o.executare) q.set('executare', 'DA');
    return this.call({
      endpoint,
      idempotent: false,
      attrs: { 'anaf.cif': cif, 'anaf.standard': o.standard },
      attempt: async (span) => {
        const ans = await this.request(span, endpoint, 'POST', `${this.base}/${endpoint}?${q}`, {
          body: xml,
          contentType: 'application/xml',
          isUpload: true,
        });
        const r = parseUploadResponse(ans.text(), endpoint);
        span.setAttribute('anaf.index_incarcare', r.indexIncarcare);
        return r;
      },
    });
  }

  /**
   * Processing state of an upload (ANAF stareMesaj API). Counts against the ledger's
   * `stareMesaj` quota for this index (ANAF: 100 per index per day since 2026; older clients assumed 20).
   * @throws AnafQuotaExceededError, AnafRequestRejectedError (unknown/non-numeric id), AnafProtocolError, ...
   */
  stareMesaj(indexIncarcare: string): Promise<StareMesajResult> {
    return this.call({
      endpoint: 'stareMesaj',
      idempotent: true,
      attrs: { 'anaf.index_incarcare': indexIncarcare },
      quota: { endpoint: 'stareMesaj', key: indexIncarcare },
      attempt: async (span) => {
        const ans = await this.request(span, 'stareMesaj', 'GET', `${this.base}/stareMesaj?${new URLSearchParams({ id_incarcare: indexIncarcare })}`);
        const r = parseStareMesajResponse(ans.text(), indexIncarcare);
        span.setAttribute('anaf.stare', r.stare);
        if (r.idDescarcare) span.setAttribute('anaf.id_descarcare', r.idDescarcare);
        return r;
      },
    });
  }

  /**
   * Messages of the last `zile` (1..60) days for `cif` (ANAF listaMesajeFactura; at most 500: use
   * {@link listaMesajePaginatie} for big companies). Empty array when ANAF says "Nu exista mesaje".
   */
  listaMesaje(o: { cif: string; zile: number; filtru?: Filtru }): Promise<AnafMessage[]> {
    const cif = digitsCif(o.cif);
    const q = new URLSearchParams({ zile: String(o.zile), cif });
    if (o.filtru) q.set('filtru', o.filtru);
    return this.call({
      endpoint: 'listaMesajeFactura',
      idempotent: true,
      attrs: { 'anaf.cif': cif },
      quota: { endpoint: 'listaMesajeFactura', key: cif },
      attempt: async (span) => {
        const ans = await this.request(span, 'listaMesajeFactura', 'GET', `${this.base}/listaMesajeFactura?${q}`);
        const list = parseListaResponse(ans.text(), 'listaMesajeFactura', cif);
        span.setAttribute('anaf.messages', list.messages.length);
        return list.messages;
      },
    });
  }

  /**
   * Walks every page of ANAF listaMesajePaginatieFactura for `cif` between `startTime` and `endTime`
   * (epoch ms on the wire), yielding each message. One retried call (and one quota unit) per page.
   */
  async *listaMesajePaginatie(o: { cif: string; startTime: Date; endTime: Date; filtru?: Filtru }): AsyncIterable<AnafMessage> {
    const cif = digitsCif(o.cif);
    for (let pagina = 1; ; pagina++) {
      const q = new URLSearchParams({
        cif,
        startTime: String(o.startTime.getTime()),
        endTime: String(o.endTime.getTime()),
        pagina: String(pagina),
      });
      if (o.filtru) q.set('filtru', o.filtru);
      const list = await this.call({
        endpoint: 'listaMesajePaginatieFactura',
        idempotent: true,
        attrs: { 'anaf.cif': cif, 'anaf.pagina': pagina },
        quota: { endpoint: 'listaMesajePaginatieFactura', key: cif },
        attempt: async (span) => {
          const ans = await this.request(span, 'listaMesajePaginatieFactura', 'GET', `${this.base}/listaMesajePaginatieFactura?${q}`);
          return parseListaResponse(ans.text(), 'listaMesajePaginatieFactura', cif);
        },
      });
      yield* list.messages;
      if (!list.page || list.messages.length === 0 || pagina >= list.page.numarTotalPagini) return;
    }
  }

  /**
   * Downloads the ZIP of a processed message (ANAF descarcare): `<index>.xml` (signed invoice or
   * error report) and `semnatura_<index>.xml`. Counts against the ledger's `descarcare` quota (10 per id).
   * @throws AnafQuotaExceededError, AnafRequestRejectedError (`eroare`), AnafProtocolError (bad ZIP), ...
   */
  descarcare(idDescarcare: string): Promise<DescarcareResult> {
    return this.call({
      endpoint: 'descarcare',
      idempotent: true,
      attrs: { 'anaf.id_descarcare': idDescarcare },
      quota: { endpoint: 'descarcare', key: idDescarcare },
      attempt: async (span) => {
        const ans = await this.request(span, 'descarcare', 'GET', `${this.base}/descarcare?${new URLSearchParams({ id: idDescarcare })}`);
        const zip = ans.body;
        if (zip.length < 4 || zip.readUInt32LE(0) !== 0x04034b50) throwDescarcareFailure(ans.text(), idDescarcare);
        let files: { name: string; content: Buffer }[];
        try {
          files = await unzipBuffer(zip);
        } catch (err) {
          throw new AnafProtocolError('descarcare', `unreadable ZIP: ${(err as Error).message}`);
        }
        const sig = files.find((f) => /(^|\/)semnatura_[^/]*\.xml$/i.test(f.name));
        const main = files.find((f) => f !== sig && /\.xml$/i.test(f.name));
        if (!sig || !main) throw new AnafProtocolError('descarcare', `ZIP without the expected files: ${files.map((f) => f.name).join(', ')}`);
        const out: DescarcareResult = { zip, files, signatureXml: sig.content };
        const idx = /(\d+)\.xml$/i.exec(main.name)?.[1];
        if (idx) {
          out.indexIncarcare = idx;
          span.setAttribute('anaf.index_incarcare', idx);
        }
        if (isErrorReport(main.content)) {
          out.errorReportXml = main.content;
          out.errorReport = parseErrorReport(main.content);
        } else {
          out.invoiceXml = main.content;
        }
        return out;
      },
    });
  }

  /**
   * Validates a document with ANAF's public validare endpoint (`POST .../validare/{FACT1|FCN}`,
   * text/plain body, no auth). Retried like reads.
   */
  validare(xml: Buffer | string, standard: 'FACT1' | 'FCN'): Promise<ValidareResult> {
    return this.call({
      endpoint: 'validare',
      idempotent: true,
      attrs: { 'anaf.standard': standard },
      attempt: async (span) => {
        const ans = await this.request(span, 'validare', 'POST', `${this.publicBase}/validare/${standard}`, {
          body: xml,
          contentType: 'text/plain',
          auth: false,
        });
        return parseValidareResponse(ans.text());
      },
    });
  }
}
