import type { IncomingMessage, ServerResponse } from 'node:http';
import { Catch, Inject, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { toProblemDetails, type ProblemDetails } from './errors.js';
import { requestSpan } from './http-tracing.js';
import { createLogger } from './logger.js';
import { currentTraceId } from './telemetry.js';

/** Injection token of the logger the {@link ProblemDetailsFilter} uses (optional). */
export const PROBLEM_DETAILS_LOGGER = Symbol('PROBLEM_DETAILS_LOGGER');

/** Media type of RFC 9457 answers. */
export const PROBLEM_JSON = 'application/problem+json';

type Req = IncomingMessage & { originalUrl?: string };

/**
 * Writes a problem+json answer for `err` on a raw Node/Express response and logs it (5xx: `error`
 * with the error object; 4xx: `info`). The trace id is the request's SERVER span (see
 * `traceRequests()`), else the active span. Used by the Nest filter and usable as Express error handler.
 */
export function sendProblem(err: unknown, req: Req, res: ServerResponse, logger: Logger): ProblemDetails {
  const span = requestSpan(req);
  const traceId = span?.spanContext().traceId ?? currentTraceId();
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const body = toProblemDetails(err, traceId, path);
  const log = { trace_id: traceId, code: body.code, status: body.status, method: req.method, path };
  if (body.status >= 500) logger.error({ ...log, err }, 'request failed');
  else logger.info(log, body.detail);
  if (span && body.status >= 500) span.recordException(err instanceof Error ? err : String(err));
  if (!res.headersSent) {
    res.statusCode = body.status;
    res.setHeader('content-type', `${PROBLEM_JSON}; charset=utf-8`);
    res.end(JSON.stringify(body));
  } else if (!res.writableEnded) {
    res.end();
  }
  return body;
}

/**
 * Global NestJS exception filter answering every error of an HTTP request as RFC 9457
 * `application/problem+json` (see `toProblemDetails` for the mapping: DomainError, HttpException,
 * ZodError, body-parser errors, unknown -> 500 without internals), with `traceId`.
 * Register: `app.useGlobalFilters(new ProblemDetailsFilter())` or `{ provide: APP_FILTER, useClass: ProblemDetailsFilter }`.
 * Non-HTTP contexts (RPC, WS) are rethrown untouched.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger: Logger;

  constructor(@Optional() @Inject(PROBLEM_DETAILS_LOGGER) logger?: Logger) {
    this.logger = logger ?? createLogger('http');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<Req>(), http.getResponse<ServerResponse>(), this.logger);
  }
}

/**
 * Express error-handling middleware with the same answer as {@link ProblemDetailsFilter}, for errors
 * raised outside Nest's router (e.g. body parsing registered with `app.use`).
 */
export function problemDetailsErrorHandler(logger: Logger = createLogger('http')) {
  return (err: unknown, req: IncomingMessage, res: ServerResponse, _next: (e?: unknown) => void): void => {
    sendProblem(err, req, res, logger);
  };
}
