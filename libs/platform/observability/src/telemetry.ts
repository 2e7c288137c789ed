import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Options of {@link initTelemetry}. */
export interface TelemetryOptions {
  /** `service.name` resource attribute, e.g. `invoicing-api`. */
  serviceName: string;
  /**
   * Where finished spans go. Default: an OTLP/HTTP exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` is set,
   * the console exporter when `OTEL_TRACES_CONSOLE=1`, otherwise none (spans are still created, so
   * trace ids reach logs and problem+json answers).
   */
  exporter?: SpanExporter;
  /** `'default'`: http, express, pg, undici auto-instrumentations; `'none'`: manual spans only. Default `'default'`. */
  instrumentations?: 'default' | 'none';
  /**
   * Span processor: `'simple'` exports each span when it ends (tests, console), `'batch'` buffers
   * (production). Default: `'batch'` for the OTLP exporter, `'simple'` otherwise.
   */
  processor?: 'simple' | 'batch';
}

/** What {@link initTelemetry} returns. */
export interface Telemetry {
  /** The registered tracer provider (also the global one). */
  provider: NodeTracerProvider;
  /** Flushes pending spans, disables instrumentations and unregisters the global API objects. */
  shutdown(): Promise<void>;
}

interface Instrumentation {
  setTracerProvider(provider: NodeTracerProvider): void;
  enable(): void;
  disable(): void;
}

let autoUndici = false;

/** True while the undici (global `fetch`) auto-instrumentation is active; `tracedFetch` then adds no span of its own. */
export function isFetchAutoInstrumented(): boolean {
  return autoUndici;
}

async function defaultExporter(): Promise<{ exporter?: SpanExporter; batch: boolean }> {
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // shipped with @opentelemetry/sdk-node; reads OTEL_EXPORTER_OTLP_* itself
    const mod = await import('@opentelemetry/exporter-trace-otlp-http');
    return { exporter: new mod.OTLPTraceExporter(), batch: true };
  }
  if (process.env.OTEL_TRACES_CONSOLE === '1') return { exporter: new ConsoleSpanExporter(), batch: false };
  return { batch: false };
}

function buildProvider(opts: TelemetryOptions, exporter: SpanExporter | undefined, batch: boolean): NodeTracerProvider {
  const spanProcessors: SpanProcessor[] = [];
  if (exporter) {
    const useBatch = opts.processor ? opts.processor === 'batch' : batch;
    spanProcessors.push(useBatch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter));
  }
  return new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
    spanProcessors,
  });
}

function register(provider: NodeTracerProvider, opts: TelemetryOptions): Telemetry {
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  const instrumentations: Instrumentation[] = [];
  if ((opts.instrumentations ?? 'default') === 'default') {
    // Constructing an instrumentation hooks `require` of its module (require-in-the-middle) and, under
    // `--import @opentelemetry/instrumentation/hook.mjs`, ESM imports too (import-in-the-middle).
    // undici works through diagnostics_channel, so global fetch is traced whatever the module system.
    instrumentations.push(
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation(),
    );
    for (const i of instrumentations) {
      i.setTracerProvider(provider);
      i.enable();
    }
    autoUndici = true;
  }
  let done = false;
  return {
    provider,
    async shutdown() {
      if (done) return;
      done = true;
      for (const i of instrumentations) i.disable();
      autoUndici = false;
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Sets up OpenTelemetry tracing for this process: a `NodeTracerProvider` registered as the global one,
 * the AsyncLocalStorage context manager, the W3C `traceparent`/`baggage` propagators, and (unless
 * `instrumentations: 'none'`) the http, express, pg and undici auto-instrumentations.
 *
 * Call it once, before the modules it instruments are loaded (see `register.ts` and the package
 * README: `node --import tsx --import @cetate/platform-observability/register main.ts`). In tests,
 * pass `{ exporter: new InMemorySpanExporter(), instrumentations: 'none' }` and call `shutdown()` after.
 * When the exporter comes from env (OTLP), use {@link initTelemetryFromEnv} (async import of the exporter).
 *
 * @returns the provider and an idempotent `shutdown()`.
 */
export function initTelemetry(opts: TelemetryOptions): Telemetry {
  if (opts.exporter) return register(buildProvider(opts, opts.exporter, false), opts);
  if (process.env.OTEL_TRACES_CONSOLE === '1') {
    return register(buildProvider(opts, new ConsoleSpanExporter(), false), opts);
  }
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // exporter module is loaded asynchronously; spans ended before it is ready are forwarded once loaded
    const deferred = new DeferredExporter(defaultExporter().then((d) => d.exporter));
    return register(buildProvider(opts, deferred, true), opts);
  }
  return register(buildProvider(opts, undefined, false), opts);
}

/**
 * Like {@link initTelemetry} with the exporter chosen from env (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_TRACES_CONSOLE=1`), awaiting the exporter module before returning.
 */
export async function initTelemetryFromEnv(opts: Omit<TelemetryOptions, 'exporter'>): Promise<Telemetry> {
  const { exporter, batch } = await defaultExporter();
  return register(buildProvider(opts, exporter, batch), opts);
}

/** An exporter that waits for the real one to be loaded (dynamic import of the OTLP exporter). */
class DeferredExporter implements SpanExporter {
  constructor(private readonly target: Promise<SpanExporter | undefined>) {}
  export(spans: Parameters<SpanExporter['export']>[0], cb: Parameters<SpanExporter['export']>[1]): void {
    this.target.then(
      (t) => (t ? t.export(spans, cb) : cb({ code: 0 })),
      (error: Error) => cb({ code: 1, error }),
    );
  }
  async shutdown(): Promise<void> {
    const t = await this.target.catch(() => undefined);
    await t?.shutdown();
  }
  async forceFlush(): Promise<void> {
    const t = await this.target.catch(() => undefined);
    await t?.forceFlush?.();
  }
}

/** The trace id (32 hex chars) of the active span, or `undefined` outside any span. */
export function currentTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}
