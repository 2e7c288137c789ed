import { HttpException } from '@nestjs/common';
import { CetateError, codeToKebab, type CetateErrorOptions, type ProblemFieldError } from '@cetate/shared-errors';

export { CetateError, codeToKebab, type CetateErrorOptions, type ProblemFieldError } from '@cetate/shared-errors';

/**
 * RFC 9457 "Problem Details for HTTP APIs" body, served as `application/problem+json`, with the
 * Cetate extension members `code` (stable, machine-readable) and `traceId` (W3C trace id).
 */
export interface ProblemDetails {
  /** `https://cetate.dev/problems/<code-kebab>`. */
  type: string;
  /** Short human summary of the problem type. */
  title: string;
  /** HTTP status code. */
  status: number;
  /** Explanation specific to this occurrence. */
  detail: string;
  /** URI reference of this occurrence (the request path). */
  instance?: string;
  /** Stable error code, e.g. `TENANT_NOT_FOUND`. */
  code: string;
  /** Trace id of the request (32 hex), to quote when reporting. */
  traceId?: string;
  /** Field-level problems (validation). */
  errors?: ProblemFieldError[];
}

/** Options of a {@link DomainError}: those of a {@link CetateError}; `status` defaults to 400. */
export type DomainErrorOptions = CetateErrorOptions;

/**
 * A {@link CetateError} meant for the caller of an HTTP API: a stable `code`, the HTTP `status` it maps to
 * (default 400), a `detail` safe to show to the caller, and optional field `errors`. Subclass it per error
 * (`class TenantNotFoundError extends DomainError`). Rendered by {@link toProblemDetails}; it is the only
 * kind of error whose code and detail reach a client (every other error is answered 500, see ADR 0025).
 */
export class DomainError extends CetateError {
  /** HTTP status code of the answer (default 400). */
  declare readonly status: number;

  constructor(code: string, message: string, opts: DomainErrorOptions = {}) {
    super(code, message, { ...opts, status: opts.status ?? 400 });
  }
}

/** Base URI of problem types. */
export const PROBLEM_TYPE_BASE = 'https://cetate.dev/problems/';

const STATUS_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Bad request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable'],
  408: ['REQUEST_TIMEOUT', 'Request timeout'],
  409: ['CONFLICT', 'Conflict'],
  410: ['GONE', 'Gone'],
  412: ['PRECONDITION_FAILED', 'Precondition failed'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  422: ['UNPROCESSABLE_ENTITY', 'Unprocessable entity'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests'],
  500: ['INTERNAL_ERROR', 'Internal error'],
  501: ['NOT_IMPLEMENTED', 'Not implemented'],
  502: ['BAD_GATEWAY', 'Bad gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
  504: ['GATEWAY_TIMEOUT', 'Gateway timeout'],
};

function statusCode(status: number): [string, string] {
  return STATUS_CODES[status] ?? (status >= 500 ? ['INTERNAL_ERROR', 'Internal error'] : ['BAD_REQUEST', 'Bad request']);
}

interface ZodLikeError {
  name: string;
  issues: { path: PropertyKey[]; message: string }[];
}

function isZodError(err: unknown): err is ZodLikeError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'ZodError' &&
    Array.isArray((err as { issues?: unknown }).issues)
  );
}

/** body-parser / raw-body errors carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

const BODY_PARSER_TYPES: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the limit'],
  'entity.parse.failed': [400, 'MALFORMED_BODY', 'The request body is not well-formed'],
  'entity.verify.failed': [403, 'BODY_VERIFICATION_FAILED', 'The request body failed verification'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'The content encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'The charset is not supported'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'The request was aborted by the client'],
  'request.size.invalid': [400, 'BAD_REQUEST', 'The request size does not match Content-Length'],
  'stream.encoding.set': [500, 'INTERNAL_ERROR', 'An unexpected error occurred'],
  'parameters.too.many': [413, 'PAYLOAD_TOO_LARGE', 'Too many parameters in the request body'],
};

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    (err as { type: string }).type in BODY_PARSER_TYPES
  );
}

function problem(
  code: string,
  title: string,
  status: number,
  detail: string,
  traceId: string | undefined,
  instance: string | undefined,
  errors?: ProblemFieldError[],
): ProblemDetails {
  const p: ProblemDetails = { type: PROBLEM_TYPE_BASE + codeToKebab(code), title, status, detail, code };
  if (instance !== undefined) p.instance = instance;
  if (traceId !== undefined) p.traceId = traceId;
  if (errors && errors.length) p.errors = errors;
  return p;
}

/**
 * Maps any thrown value to an RFC 9457 problem body:
 * - {@link DomainError}: its code, status, title, detail, errors (any other {@link CetateError}, e.g. an
 *   `AnafError` or a `MessagingError`, is a server-side failure: 500 like any unknown error);
 * - Nest `HttpException` (incl. `PayloadTooLargeException` 413, `UnsupportedMediaTypeException` 415):
 *   its status, a code from the status (`PAYLOAD_TOO_LARGE`), its message as detail (5xx: generic);
 * - `ZodError`: 400 `VALIDATION_FAILED` with one `errors[]` entry per issue;
 * - body-parser errors (raw, or wrapped by Nest as the `cause` of an HttpException): `entity.too.large` -> 413, `entity.parse.failed` -> 400 `MALFORMED_BODY`, ...;
 * - anything else: 500 `INTERNAL_ERROR` with a generic detail (no message, stack or class leaked).
 * @param traceId trace id to quote (see `currentTraceId()`); @param instance the request path.
 */
export function toProblemDetails(err: unknown, traceId?: string, instance?: string): ProblemDetails {
  if (err instanceof DomainError) {
    return problem(err.code, err.title, err.status, err.detail, traceId, instance, err.errors);
  }
  if (isZodError(err)) {
    const errors = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return problem('VALIDATION_FAILED', 'Validation failed', 400, 'The request does not match the expected schema', traceId, instance, errors);
  }
  // Nest's express adapter wraps body-parser errors in an HttpException whose `cause` is the original.
  const bodyErr = isBodyParserError(err) ? err : isBodyParserError((err as { cause?: unknown })?.cause) ? (err as { cause: BodyParserError }).cause : undefined;
  if (bodyErr) {
    const [status, code, detail] = BODY_PARSER_TYPES[bodyErr.type]!;
    return problem(code, statusCode(status)[1], status, detail, traceId, instance);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const [code, title] = statusCode(status);
    if (status >= 500) return problem(code, title, status, 'An unexpected error occurred', traceId, instance);
    const body = err.getResponse();
    let detail = err.message;
    let errors: ProblemFieldError[] | undefined;
    if (typeof body === 'object' && body !== null) {
      const m = (body as { message?: unknown }).message;
      if (Array.isArray(m)) {
        errors = m.map((x) => ({ path: '', message: String(x) }));
        detail = m.map(String).join('; ');
      } else if (typeof m === 'string') detail = m;
    } else if (typeof body === 'string') detail = body;
    return problem(code, title, status, detail, traceId, instance, errors);
  }
  return problem(
    'INTERNAL_ERROR',
    'Internal error',
    500,
    `An unexpected error occurred; quote trace id ${traceId ?? '(none)'} when reporting it`,
    traceId,
    instance,
  );
}
