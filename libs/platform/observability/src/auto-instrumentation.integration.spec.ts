import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
// No static import may load `pg` (e.g. @cetate/platform-testing) before initTelemetry: require hooks
// only patch modules loaded after them. That is the rule apps follow too (register first).
import { initTelemetry, isFetchAutoInstrumented, tracedFetch, withSpan, type Telemetry } from './index.js';

describe("initTelemetry({ instrumentations: 'default' })", () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let server: Server;
  let url: string;
  const seenTraceparents: string[] = [];

  beforeAll(async () => {
    telemetry = initTelemetry({ serviceName: 'auto', exporter });
    server = createServer((req, res) => {
      seenTraceparents.push(String(req.headers.traceparent ?? ''));
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    server?.close();
    await telemetry?.shutdown();
  });

  it('traces global fetch (undici) as a child CLIENT span and injects traceparent', async () => {
    expect(isFetchAutoInstrumented()).toBe(true);
    const parent = await withSpan('job', async (span) => {
      await (await tracedFetch(url)).text(); // delegates to fetch: one CLIENT span, not two
      return span.spanContext();
    });
    const clients = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT && s.spanContext().traceId === parent.traceId);
    expect(clients).toHaveLength(1);
    expect(clients[0]!.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(seenTraceparents.at(-1)).toBe(`00-${parent.traceId}-${clients[0]!.spanContext().spanId}-01`);
  });

  it('traces pg queries loaded after initTelemetry', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    const parent = await withSpan('db-work', async (span) => {
      await client.query('SELECT 1');
      return span.spanContext();
    });
    await client.end();
    const q = exporter.getFinishedSpans().find((s) => s.instrumentationScope.name.includes('pg') && s.spanContext().traceId === parent.traceId);
    expect(q?.parentSpanContext?.spanId).toBe(parent.spanId);
  });

  it('shutdown() unregisters: no span after it', async () => {
    await telemetry.shutdown();
    expect(isFetchAutoInstrumented()).toBe(false);
    exporter.reset();
    await withSpan('after', async () => undefined);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
