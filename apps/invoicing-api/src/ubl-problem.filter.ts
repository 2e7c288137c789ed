import type { ServerResponse } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request } from 'express';
import { createLogger, currentTraceId, PROBLEM_JSON, requestSpan, toProblemDetails, type ProblemDetails } from '@cetate/platform-observability';
import { InvalidUblError } from './invoicing.errors.js';

const log = createLogger('invoicing-api');

/** The RFC 9457 body of an {@link InvalidUblError}: the usual members plus `line` / `column` (1-based) when known. */
export type UblProblemDetails = ProblemDetails & { line?: number; column?: number };

/**
 * The problem+json body of an {@link InvalidUblError} (status, `code`, `detail`, `traceId`, `instance` as
 * `toProblemDetails` makes them) with the extension members `line` and `column` where the parser stopped, when known.
 */
export function ublProblemDetails(err: InvalidUblError, traceId: string | undefined, instance: string | undefined): UblProblemDetails {
  const body: UblProblemDetails = toProblemDetails(err, traceId, instance);
  if (err.line !== undefined) body.line = err.line;
  if (err.column !== undefined) body.column = err.column;
  return body;
}

/**
 * Answers an {@link InvalidUblError} as RFC 9457 `application/problem+json` with `line`/`column` (the global
 * `ProblemDetailsFilter` knows no extension members but `errors`); the trace id is the request's SERVER span's, like
 * the global filter's. Logged at `info` (a client error). Bound with `@UseFilters` on the controllers that read UBL.
 */
@Catch(InvalidUblError)
export class UblProblemFilter implements ExceptionFilter {
  catch(err: InvalidUblError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<ServerResponse>();
    const traceId = requestSpan(req)?.spanContext().traceId ?? currentTraceId();
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    const body = ublProblemDetails(err, traceId, path);
    log.info({ trace_id: traceId, code: body.code, status: body.status, method: req.method, path }, body.detail);
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    res.statusCode = body.status;
    res.setHeader('content-type', `${PROBLEM_JSON}; charset=utf-8`);
    res.end(JSON.stringify(body));
  }
}
