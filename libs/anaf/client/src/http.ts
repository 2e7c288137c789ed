import {
  AnafAuthError,
  AnafHttpError,
  AnafNetworkError,
  AnafQuotaExceededError,
  AnafTimeoutError,
  quotaLimitIn,
  type AnafEndpoint,
} from './errors.js';

/** A raw HTTP answer (body fully read). */
export interface RawAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  text(): string;
}

/** One HTTP request to ANAF. */
export interface RawRequest {
  endpoint: AnafEndpoint;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  timeoutMs: number;
  /** True for upload: a lost answer leaves the outcome unknown. */
  outcomeUnknownOnLoss: boolean;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Sends one request with global `fetch` and a hard timeout covering headers and body.
 * @throws AnafTimeoutError (no answer in time, or the connection broke after sending: for upload
 *   `outcomeUnknown` = true), AnafNetworkError (connection never made).
 */
export async function sendRaw(req: RawRequest): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      redirect: 'manual',
    });
    const body = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body,
      text: () => body.toString('utf8'),
    };
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError' || signal.aborted) {
      throw new AnafTimeoutError(req.endpoint, req.timeoutMs, req.outcomeUnknownOnLoss, { cause: err });
    }
    const code = causeCode(err);
    if (code && NOT_SENT_CODES.has(code)) {
      throw new AnafNetworkError(req.endpoint, `connection failed (${code})`, { cause: err });
    }
    if (req.outcomeUnknownOnLoss) throw new AnafTimeoutError(req.endpoint, req.timeoutMs, true, { cause: err });
    throw new AnafNetworkError(req.endpoint, `connection lost (${code ?? (err as Error)?.message})`, { cause: err });
  }
}

/**
 * Maps non-success HTTP statuses to typed errors (ANAF-EFACTURA.md "Limits"): 401 → AnafAuthError;
 * 204 and 429 whose body says `S-au facut deja N ... in cursul zilei` → AnafQuotaExceededError
 * (204 always means "limit reached"); other 429 → retryable AnafHttpError (rate limiting);
 * 403 → AnafHttpError, retryable only for "Utilizator neautorizat"; 5xx → retryable AnafHttpError
 * (upload: not retryable, `outcomeUnknown`); other non-2xx → non-retryable AnafHttpError. Returns for 2xx (not 204).
 */
export function checkStatus(endpoint: AnafEndpoint, ans: RawAnswer, isUpload: boolean): void {
  const { status } = ans;
  if (status >= 200 && status < 300 && status !== 204) return;
  const text = ans.text();
  if (status === 401) throw new AnafAuthError(endpoint, `HTTP 401 ${text.slice(0, 200)}`.trim(), 401);
  if (status === 204) throw new AnafQuotaExceededError(endpoint, 'HTTP 204 (limit reached)', 'anaf');
  const limit = quotaLimitIn(text);
  if (status === 429 && limit !== undefined) throw new AnafQuotaExceededError(endpoint, text, 'anaf', limit);
  if (status === 429) throw new AnafHttpError(endpoint, status, text, true);
  if (status === 403) throw new AnafHttpError(endpoint, status, text, /Utilizator neautorizat/i.test(text));
  if (status >= 500) throw new AnafHttpError(endpoint, status, text, !isUpload, isUpload);
  throw new AnafHttpError(endpoint, status, text, false);
}
