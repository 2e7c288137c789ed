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

/**
 * The span exporter chosen from env, the single place that choice is made: an OTLP/HTTP exporter (batch
 * processor) when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, else the
 * console exporter (simple processor) when `OTEL_TRACES_CONSOLE=1`, else none. The OTLP exporter module is
 * imported asynchronously; spans ended before it has loaded are handed to it once it has.
 */
export function exporterFromEnv(env: NodeJS.ProcessEnv = process.env): { exporter?: SpanExporter; batch: boolean } {
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // shipped with @opentelemetry/sdk-node; reads OTEL_EXPORTER_OTLP_* itself
    const otlp = import('@opentelemetry/exporter-trace-otlp-http').then((mod) => new mod.OTLPTraceExporter());
    return { exporter: new DeferredExporter(otlp), batch: true };
  }
  if (env.OTEL_TRACES_CONSOLE === '1') return { exporter: new ConsoleSpanExporter(), batch: false };
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
 * `instrumentations: 'none'`) the http, express, pg and undici auto-instrumentations. Without
 * `opts.exporter` the exporter comes from env ({@link exporterFromEnv}).
 *
 * Call it once, before the modules it instruments are loaded: the apps' `main.ts` call it first and
 * `await import(...)` their modules afterwards; they also flush it on SIGINT/SIGTERM (`shutdown()`).
 * In tests, pass `{ exporter: new InMemorySpanExporter(), instrumentations: 'none' }` and call
 * `shutdown()` after.
 *
 * @returns the provider and an idempotent `shutdown()`.
 */
export function initTelemetry(opts: TelemetryOptions): Telemetry {
  const { exporter, batch } = opts.exporter ? { exporter: opts.exporter, batch: false } : exporterFromEnv();
  return register(buildProvider(opts, exporter, batch), opts);
}

/** An exporter that waits for the real one to be loaded (dynamic import of the OTLP exporter). */
class DeferredExporter implements SpanExporter {
  constructor(private readonly target: Promise<SpanExporter | undefined>) {
    target.catch(() => undefined); // a failed import is reported through export() callbacks, not as unhandled
  }
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

/**
 * The end of every Cetate process entry: on the first SIGINT or SIGTERM, logs `stopping`, runs `steps` in order
 * (e.g. the app's `close()`, then the secret store's), flushes telemetry, and exits 0. A failing step is logged
 * and the next one still runs.
 */
export function closeOnSignals(log: { info(o: object, msg: string): void; error(o: object, msg: string): void }, telemetry: { shutdown(): Promise<void> }, ...steps: Array<() => Promise<unknown>>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping');
      void (async () => {
        for (const step of steps) await step().catch((err: unknown) => log.error({ err }, 'close step failed'));
        await telemetry.shutdown().catch(() => undefined);
      })().finally(() => process.exit(0));
    });
  }
}
