/**
 * RFC 9457 problem details as platform-api sends them (`application/problem+json`, with Cetate's `code` and
 * `traceId` members: `ProblemDetails` of `@cetate/platform-observability`), turned into an error the UI can act on.
 *
 * Not a `DomainError`: that class belongs to the server side (it imports NestJS); in the browser an answer's
 * problem is data to show, so {@link ApiProblemError} only carries it.
 */

/** One field-level problem (`errors` member). */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** The problem+json body (fields the UI reads). */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Stable code, e.g. `USER_EXISTS`; `HTTP_<status>` when the answer had no problem body; `NETWORK` when no answer. */
  code: string;
  traceId?: string;
  errors?: ProblemFieldError[];
}

/** A failed platform-api call: `problem.code` names the case (`USER_EXISTS`, `USER_SELF_LOCKOUT`, ...). */
export class ApiProblemError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblemError';
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
 * problem `HTTP_<status>` with the body text (first 300 characters) as detail.
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

/**
 * i18n key of the message shown for a problem: a known code (`errors.USER_EXISTS`), else by status (401, 403,
 * 404, 5xx), else `errors.unknown`. The server's `detail` is shown under the message.
 */
export function problemMessageKey(problem: Pick<ProblemDetails, 'code' | 'status'>): string {
  if (KNOWN_CODES.has(problem.code)) return `errors.${problem.code}`;
  if (problem.status === 401) return 'errors.unauthorized';
  if (problem.status === 403) return 'errors.forbidden';
  if (problem.status === 404) return 'errors.notFound';
  if (problem.status >= 500) return 'errors.server';
  return 'errors.unknown';
}

/** Codes with their own message in `i18n.ts`. */
export const KNOWN_CODES: ReadonlySet<string> = new Set([
  'NETWORK',
  'VALIDATION_FAILED',
  'USER_EXISTS',
  'USER_SELF_LOCKOUT',
  'USER_NOT_FOUND',
  'IDENTITY_ADMIN_FAILED',
  'INVALID_TENANT',
  'TENANT_NOT_FOUND',
  'TENANT_OPERATION_IN_PROGRESS',
  'TENANT_STATE_CONFLICT',
  'PROVISIONING_STEP_FAILED',
]);
