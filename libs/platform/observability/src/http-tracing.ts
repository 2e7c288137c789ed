import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Span,
} from '@opentelemetry/api';
import { isFetchAutoInstrumented } from './telemetry.js';

/** Tracer name used by the manual spans of this package. */
export const TRACER_NAME = '@cetate/platform-observability';

const requestSpans = new WeakMap<object, Span>();

/** The SERVER span of an incoming request (set by {@link traceRequests}), if any. */
export function requestSpan(req: object): Span | undefined {
  return requestSpans.get(req);
}

type Next = (err?: unknown) => void;
type Req = IncomingMessage & { originalUrl?: string; route?: { path?: string }; baseUrl?: string };

function isServerSpan(span: Span | undefined): boolean {
  // SDK spans expose `kind`; the API interface does not.
  return !!span && span.isRecording() && (span as unknown as { kind?: SpanKind }).kind === SpanKind.SERVER;
}

/**
 * Express/Nest middleware that opens one SERVER span per request, child of the incoming W3C
 * `traceparent` (W3C Trace Context), and runs the rest of the request inside it, so handlers, logs
 * (`trace_id`), outgoing calls and the problem+json `traceId` share the trace. Adds `x-trace-id` to the
 * response. When the http auto-instrumentation already opened a SERVER span, that span is reused.
 *
 * Use: `app.use(traceRequests())` before routes (Nest: in `main.ts` right after `NestFactory.create`).
 * Works in ESM whatever the loader, unlike require-hook auto-instrumentation.
 */
export function traceRequests(): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const tracer = trace.getTracer(TRACER_NAME);
  return (req, res, next) => {
    const active = trace.getActiveSpan();
    if (isServerSpan(active)) {
      requestSpans.set(req, active!);
      res.setHeader('x-trace-id', active!.spanContext().traceId);
      next();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const r = req as Req;
    const method = req.method ?? 'GET';
    const url = r.originalUrl ?? req.url ?? '/';
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': url.split('?')[0] ?? url,
          'user_agent.original': req.headers['user-agent'] ?? '',
        },
      },
      parent,
    );
    requestSpans.set(req, span);
    res.setHeader('x-trace-id', span.spanContext().traceId);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = r.route?.path ? `${r.baseUrl ?? ''}${r.route.path}` : undefined;
      if (route) {
        span.setAttribute('http.route', route);
        span.updateName(`${method} ${route}`);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), () => next());
  };
}

/**
 * `fetch` with a CLIENT span and W3C `traceparent` injection. When the undici auto-instrumentation is
 * on (`initTelemetry({ instrumentations: 'default' })`) it already does both, so this only delegates.
 * @returns the `Response`; a network error ends the span with status ERROR and is rethrown.
 */
export async function tracedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  if (isFetchAutoInstrumented()) return fetch(input, init);
  const tracer = trace.getTracer(TRACER_NAME);
  const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const url = new URL(input instanceof Request ? input.url : String(input));
  return tracer.startActiveSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'url.full': `${url.origin}${url.pathname}`,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      },
    },
    async (span) => {
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      propagation.inject(context.active(), headers, {
        set: (carrier, key, value) => carrier.set(key, value),
      });
      try {
        const res = await fetch(input, { ...init, headers });
        span.setAttribute('http.response.status_code', res.status);
        if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return res;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Runs `fn` inside a new INTERNAL (or given kind) span, ending it when the promise settles and
 * recording an exception as status ERROR.
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  opts: { kind?: SpanKind; attributes?: Record<string, string | number | boolean> } = {},
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, opts, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
