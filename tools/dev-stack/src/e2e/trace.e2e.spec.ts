import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTelemetry, type Telemetry } from '@cetate/platform-observability';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let p: TestPlatform;

beforeAll(async () => {
  telemetry = initTelemetry({ serviceName: 'cetate-e2e', exporter, instrumentations: 'none' });
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
  await telemetry?.shutdown();
});

describe('one trace per invoice send', () => {
  it('spans the HTTP request, the AMQP publish and consume, the worker and the ANAF calls under one trace id', async () => {
    const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'E2E-TRACE-1' });
    const res = await fetch(`${p.api.url}/v1/invoices/${inv.id}/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token()}` },
    });
    expect(res.status).toBe(202);
    const traceId = res.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    await telemetry.provider.forceFlush();

    const spans = exporter.getFinishedSpans().filter((s: ReadableSpan) => s.spanContext().traceId === traceId);
    const names = spans.map((s) => s.name);
    const byKind = (k: SpanKind) => spans.filter((s) => s.kind === k);
    // HTTP: the request that asked for the send.
    expect(byKind(SpanKind.SERVER).map((s) => s.name)).toContain('POST /v1/invoices/:id/send');
    // AMQP: the outbox relay's publish of the command, and the worker's consume of it.
    expect(byKind(SpanKind.PRODUCER).map((s) => s.name)).toContain('worker.request.anaf.efactura.submit publish');
    const consumed = byKind(SpanKind.CONSUMER).map((s) => s.attributes['messaging.rabbitmq.destination.routing_key']);
    expect(consumed).toContain('worker.request.anaf.efactura.submit');
    // Worker and ANAF.
    expect(names).toContain('efactura.validate');
    for (const anaf of ['anaf.upload', 'anaf.listaMesajePaginatieFactura', 'anaf.descarcare']) expect(names).toContain(anaf);
    // The worker's events come back to the API in the same trace.
    expect(consumed).toContain('invoicing.invoice.efactura-accepted');
    // Parent links are intact: every span but the root has its parent in the trace.
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const roots = spans.filter((s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId));
    expect(roots.map((s) => s.name)).toEqual(['POST /v1/invoices/:id/send']);
  });
});
