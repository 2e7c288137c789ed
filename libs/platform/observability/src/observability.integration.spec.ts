import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Body,
  Controller,
  Get,
  Inject,
  Module,
  PayloadTooLargeException,
  Post,
  UnsupportedMediaTypeException,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import {
  DomainError,
  ProblemDetailsFilter,
  createLogger,
  currentTraceId,
  initTelemetry,
  traceRequests,
  tracedFetch,
  type Telemetry,
} from './index.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    cb();
  },
});
const logger = createLogger('test', { destination: sink, level: 'debug' });

class InvoiceLockedError extends DomainError {
  constructor(id: string) {
    super('INVOICE_LOCKED', `Invoice ${id} is locked`, {
      status: 409,
      errors: [{ path: 'id', message: 'locked after submission' }],
    });
  }
}

const BASE = Symbol('BASE');
const state = { base: '' };

@Controller()
class ProbeController {
  constructor(@Inject(BASE) private readonly s: { base: string }) {}

  @Get('ok')
  ok() {
    logger.info('inside handler');
    return { traceId: currentTraceId() };
  }
  @Get('call')
  async call() {
    const res = await tracedFetch(`${this.s.base}/ok`);
    return { traceId: currentTraceId(), downstream: await res.json() };
  }
  @Get('domain')
  domain() {
    throw new InvoiceLockedError('F-1');
  }
  @Get('too-large')
  tooLarge() {
    throw new PayloadTooLargeException('body over 1 MB');
  }
  @Get('media')
  media() {
    throw new UnsupportedMediaTypeException('only application/xml');
  }
  @Post('zod')
  zod(@Body() body: unknown) {
    return z.object({ name: z.string(), qty: z.number().positive() }).parse(body);
  }
  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
  @Get('boom')
  boom() {
    throw new Error('password=hunter2 at pg://secret');
  }
}

@Module({ controllers: [ProbeController], providers: [{ provide: BASE, useValue: state }] })
class ProbeModule {}

describe('observability: tracing, logs and problem+json on a real Nest app', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    telemetry = initTelemetry({ serviceName: 'probe', exporter, instrumentations: 'none' });
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.use(traceRequests());
    app.useGlobalFilters(new ProblemDetailsFilter(logger));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    state.base = base;
  });
  afterAll(async () => {
    await app?.close();
    await telemetry?.shutdown();
  });

  it('continues the incoming traceparent and logs trace_id/span_id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const res = await fetch(`${base}/ok`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ traceId });
    expect(res.headers.get('x-trace-id')).toBe(traceId);
    const server = exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId)!;
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.name).toBe('GET /ok');
    expect(server.parentSpanContext?.spanId).toBe(parentId);
    expect(server.attributes['http.response.status_code']).toBe(200);
    const line = lines.find((l) => l.msg === 'inside handler')!;
    expect(line.trace_id).toBe(traceId);
    expect(line.span_id).toBe(server.spanContext().spanId);
    expect(line.level).toBe('info');
  });

  it('propagates through tracedFetch: server -> client -> server in one trace', async () => {
    exporter.reset();
    const res = await fetch(`${base}/call`);
    const body = (await res.json()) as { traceId: string; downstream: { traceId: string } };
    expect(body.downstream.traceId).toBe(body.traceId);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === body.traceId);
    const outer = spans.find((s) => s.name === 'GET /call')!;
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    const inner = spans.find((s) => s.name === 'GET /ok')!;
    expect(outer.parentSpanContext).toBeUndefined();
    expect(client.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
  });

  async function problem(path: string, init?: RequestInit) {
    const res = await fetch(base + path, init);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.traceId).toBe(res.headers.get('x-trace-id'));
    expect(body.status).toBe(res.status);
    expect(body.instance).toBe(path);
    return { status: res.status, body };
  }

  it('DomainError -> its status, code, type and errors', async () => {
    const { status, body } = await problem('/domain');
    expect(status).toBe(409);
    expect(body).toMatchObject({
      type: 'https://cetate.dev/problems/invoice-locked',
      title: 'Invoice locked',
      code: 'INVOICE_LOCKED',
      detail: 'Invoice F-1 is locked',
      errors: [{ path: 'id', message: 'locked after submission' }],
    });
  });

  it('HttpException 413 and 415', async () => {
    const a = await problem('/too-large');
    expect(a.status).toBe(413);
    expect(a.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: 'body over 1 MB' });
    const b = await problem('/media');
    expect(b.status).toBe(415);
    expect(b.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', type: 'https://cetate.dev/problems/unsupported-media-type' });
  });

  it('ZodError -> 400 with one entry per issue', async () => {
    const { status, body } = await problem('/zod', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qty: -1 }),
    });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    const errors = body.errors as { path: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(['name', 'qty']);
  });

  it('body-parser: too large -> 413, malformed -> 400', async () => {
    const big = await problem('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'a'.repeat(200_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await problem('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"x": ',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('MALFORMED_BODY');
  });

  it('unknown error -> 500 without internals, logged with trace id', async () => {
    const { status, body } = await problem('/boom');
    expect(status).toBe(500);
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(body)).not.toMatch(/hunter2|secret|Error:/);
    const line = lines.find((l) => l.trace_id === body.traceId && l.level === 'error')!;
    expect((line.err as { message: string }).message).toContain('hunter2');
    const span = exporter.getFinishedSpans().find((s) => s.spanContext().traceId === body.traceId)!;
    expect(span.status.code).toBe(2);
  });
});
