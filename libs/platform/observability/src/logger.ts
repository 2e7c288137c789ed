import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Level; default `LOG_LEVEL` or `info`. */
  level?: string;
  /** Where JSON lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * A pino JSON logger named `name` whose every line carries `trace_id` and `span_id` of the span active
 * when the line is written (none outside a span), so Loki lines link to Tempo traces.
 * Level from `LOG_LEVEL` (default `info`); the level is written as its label (`"level":"info"`).
 */
export function createLogger(name: string, opts: LoggerOptions = {}): Logger {
  const options = {
    name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    formatters: { level: (label: string) => ({ level: label }) },
    mixin() {
      const ctx = trace.getActiveSpan()?.spanContext();
      if (!ctx || !trace.isSpanContextValid(ctx)) return {};
      return { trace_id: ctx.traceId, span_id: ctx.spanId };
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
