import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';

/** Tracer of this library (instrumentation scope name). */
export const tracer = trace.getTracer('@cetate/platform-messaging');

const setter = {
  set(carrier: Record<string, unknown>, key: string, value: string) {
    carrier[key] = value;
  },
};
const getter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get(carrier: Record<string, unknown>, key: string): string | undefined {
    const v = carrier[key];
    if (v === undefined || v === null) return undefined;
    return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  },
};

/**
 * Writes W3C `traceparent`/`tracestate` of `ctx` into `headers` through the globally registered propagator
 * (`@opentelemetry/api` propagation; platform-observability registers the W3C one). No-op without a propagator
 * or without an active span.
 */
export function injectTraceHeaders(headers: Record<string, unknown>, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, setter);
}

/** Extracts the remote span context carried by message headers (W3C Trace Context). */
export function extractTraceContext(headers: Record<string, unknown>): Context {
  return propagation.extract(context.active(), headers, getter);
}

/** Messaging semantic-convention attributes (OpenTelemetry semconv "messaging", RabbitMQ). */
export function messagingAttributes(a: {
  exchange: string;
  routingKey: string;
  messageId: string;
  operation: 'send' | 'process';
  tenantId?: string;
}): Record<string, string> {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': a.operation,
    'messaging.destination.name': a.exchange,
    'messaging.rabbitmq.destination.routing_key': a.routingKey,
    'messaging.message.id': a.messageId,
    ...(a.tenantId ? { 'cetate.tenant_id': a.tenantId } : {}),
  };
}

/** Runs `fn` inside `span`, recording an exception and ERROR status when it throws; ends the span. */
export async function inSpan<T>(span: Span, parent: Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

export { SpanKind };
