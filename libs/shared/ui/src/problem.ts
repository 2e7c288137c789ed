/**
 * RFC 9457 problem details as every Cetate API sends them (`application/problem+json` with Cetate's `code` and
 * `traceId` members: `ProblemDetails` of `@cetate/platform-observability`), turned into an error a UI can act on.
 *
 * Not a `DomainError`: that class belongs to the server side (it imports NestJS); in the browser an answer's
 * problem is data to show, so {@link ApiProblem} only carries it.
 */

/** The problem+json body (members the UIs read). */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable code, e.g. `USER_EXISTS`; `HTTP_<status>` when the answer had no problem body; `NETWORK` when no answer. */
  code: string;
  traceId?: string;
  /** Field-level problems (e.g. `VALIDATION_FAILED`). */
  errors?: Array<{ path: string; message: string }>;
}

/** A failed API call; `problem.code` names the case. The message is the server's `detail` (else the title). */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }
}

/**
 * The problem of a non-2xx answer: the body when it is a problem+json object with a `code`, otherwise a generic
 * problem `HTTP_<status>` with the body text (first 300 characters) as detail (e.g. the gateway's page when an
 * API is down).
 */
export function problemFromBody(status: number, statusText: string, body: string): ProblemDetails {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string') {
      const p = parsed as Partial<ProblemDetails> & { code: string };
      return { ...p, title: p.title ?? statusText, status: typeof p.status === 'number' ? p.status : status, code: p.code };
    }
  } catch {
    // not JSON: a proxy or gateway page
  }
  const text = body.trim().slice(0, 300);
  return { title: statusText || `HTTP ${status}`, status, code: `HTTP_${status}`, ...(text ? { detail: text } : {}) };
}

/** Reads a non-2xx `Response` into an {@link ApiProblem} ({@link problemFromBody}). */
export async function problemFromResponse(res: Response): Promise<ApiProblem> {
  const text = await res.text().catch(() => '');
  return new ApiProblem(problemFromBody(res.status, res.statusText, text));
}
