/** One field-level problem (RFC 9457 extension member `errors`). */
export interface ProblemFieldError {
  /** JSON path of the offending field, dot-separated (`lines.0.quantity`); empty for the whole body. */
  path: string;
  /** What is wrong, in words the caller can act on. */
  message: string;
}

/** Options of a {@link CetateError} (the same shape `DomainError` has always taken). */
export interface CetateErrorOptions {
  /**
   * HTTP status. For a `DomainError` (an error an API answers with) the status of the answer, default 400;
   * for an error of an outbound HTTP call (`AnafHttpError`, `JwksFetchError`) the status the remote answered;
   * absent otherwise. Only `DomainError`s are rendered to API clients (`toProblemDetails`): any other error
   * that reaches an HTTP boundary is answered 500 `INTERNAL_ERROR`, whatever its `status`.
   */
  status?: number;
  /** Occurrence-specific, client-safe detail; default the message. */
  detail?: string;
  /** Short title; default derived from `code` (`TENANT_NOT_FOUND` -> `Tenant not found`). */
  title?: string;
  /** Field-level problems. */
  errors?: ProblemFieldError[];
  /** Underlying error (`Error.cause`; never sent to clients). */
  cause?: unknown;
}

/**
 * The one base class of every error Cetate throws on purpose (issue 7 item 7, ADR 0025): a stable `code`,
 * the human `message`, and the RFC 9457 extension fields (`status`, `detail`, `title`, `errors`) that
 * `DomainError` (`@cetate/platform-observability`, the errors an HTTP API answers with) has always had.
 * Callers decide with `instanceof` on a class or with `code`, never by the message or the object's shape.
 *
 * **How a code is chosen.** UPPER_SNAKE_CASE ASCII (`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`, see {@link isStableCode}),
 * prefixed by the area it comes from (`ANAF_`, `UBL_`, `EFACTURA_`, `TENANT_`, `AMQP_`, ...), naming the
 * condition the caller can act on (`ANAF_QUOTA_EXCEEDED`), not the class or the place that threw it. One code
 * per condition a caller handles differently; the details of one occurrence go in the message or in typed
 * fields (`endpoint`, `term`, `from`/`to`), never in the code.
 *
 * **Codes never change once published.** A code is published as soon as it can leave the process: in a
 * problem+json body, a DLQ header (`x-error-code`), a stored failure reason, a log or metric attribute
 * (`error.type`) that dashboards and alerts match. From then on it is never renamed nor reused for another
 * meaning; a new meaning gets a new code, and a code is retired only when nothing can produce it any more.
 *
 * Subclass it per condition (`class AnafTimeoutError extends AnafError`), or per family with the code as
 * a constructor argument (`MessagingError`, `DomainError`). `name` is the subclass name.
 *
 * @param code stable machine-readable code (see above)
 * @param message what happened and, where possible, what to do; for logs and operators
 * @param opts {@link CetateErrorOptions}; `cause` becomes the standard `Error.cause`
 */
export class CetateError extends Error {
  /** Stable machine-readable code, UPPER_SNAKE_CASE (`ANAF_TIMEOUT`); never changes once published. */
  readonly code: string;
  /** HTTP status, see {@link CetateErrorOptions.status}; `undefined` when the error has none. */
  readonly status?: number;
  /** Occurrence-specific, client-safe explanation (default the message). */
  readonly detail: string;
  /** Problem type title (default derived from `code`). */
  readonly title: string;
  /** Field-level problems. */
  readonly errors?: ProblemFieldError[];

  constructor(code: string, message: string, opts: CetateErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    if (opts.status !== undefined) this.status = opts.status;
    this.detail = opts.detail ?? message;
    this.title = opts.title ?? titleFromCode(code);
    if (opts.errors) this.errors = opts.errors;
  }
}

/** The form every code has: UPPER_SNAKE_CASE ASCII, starting with a letter. */
export const STABLE_CODE_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** True when `code` has the form of a stable code ({@link STABLE_CODE_PATTERN}): `ANAF_TIMEOUT` yes, `anaf.timeout` no. */
export function isStableCode(code: string): boolean {
  return STABLE_CODE_PATTERN.test(code);
}

/** `TENANT_NOT_FOUND` / `TenantNotFound` / `tenant.not_found` -> `tenant-not-found` (RFC 9457 `type` URIs). */
export function codeToKebab(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** `TENANT_NOT_FOUND` -> `Tenant not found` (the default problem title). */
export function titleFromCode(code: string): string {
  const words = codeToKebab(code).replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
