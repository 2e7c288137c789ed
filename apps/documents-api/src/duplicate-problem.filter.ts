import type { ServerResponse } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request } from 'express';
import { createLogger, currentTraceId, PROBLEM_JSON, requestSpan, toProblemDetails, type ProblemDetails } from '@cetate/platform-observability';
import { PurchaseInvoiceDuplicateError } from './documents.errors.js';

const log = createLogger('documents-api');

/** The RFC 9457 body of a {@link PurchaseInvoiceDuplicateError}: the usual members plus `existingId`. */
export type DuplicateProblemDetails = ProblemDetails & { existingId: string };

/**
 * Answers a {@link PurchaseInvoiceDuplicateError} as RFC 9457 `application/problem+json` 409 with the extension member
 * `existingId` (the purchase invoice it duplicates); trace id and logging as the global `ProblemDetailsFilter`.
 */
@Catch(PurchaseInvoiceDuplicateError)
export class DuplicateProblemFilter implements ExceptionFilter {
  catch(err: PurchaseInvoiceDuplicateError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<ServerResponse>();
    const traceId = requestSpan(req)?.spanContext().traceId ?? currentTraceId();
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    const body: DuplicateProblemDetails = { ...toProblemDetails(err, traceId, path), existingId: err.existingId };
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
