import { conformanceDir } from '@cetate/platform-testing';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const run = promisify(execFile);
const CONFORMANCE = conformanceDir();
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ processingDelayMs: 2000 });
});
afterAll(async () => {
  await p?.close();
});

// The broker is stopped and started with `rabbitmqctl stop_app`/`start_app` (the Erlang node keeps running,
// every connection drops, quorum queues are recovered from disk). This file runs in the `serial` Vitest
// project, after every other test, because it disturbs every client of the broker.

describe('RabbitMQ restarted mid-run', () => {
  it('loses nothing: every invoice in flight still ends accepted, each uploaded once', async () => {
    const src = await readFile(path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example3.xml'), 'utf8');
    const stamp = Date.now();
    const invoices = [];
    for (let i = 0; i < 8; i++) {
      invoices.push(await p.client.importXml(src.replace(/<cbc:ID>[^<]+<\/cbc:ID>/, `<cbc:ID>RESTART-${stamp}-${i}</cbc:ID>`)));
    }
    // Half are sent before the broker stops; half while it is down (their commands wait in the outbox).
    for (const inv of invoices.slice(0, 4)) await p.client.send(inv.id);
    await run('rabbitmqctl', ['stop_app']);
    try {
      for (const inv of invoices.slice(4)) expect((await p.client.send(inv.id)).queued).toBe(true);
    } finally {
      await run('rabbitmqctl', ['start_app']);
      await run('rabbitmqctl', ['await_startup']);
    }

    const finals = await Promise.all(invoices.map((inv) => p.client.waitForFinal(inv.id, { timeoutMs: 150_000 })));
    expect(finals.map((f) => f.efactura.state)).toEqual(invoices.map(() => 'accepted'));
    expect(finals.map((f) => p.uploadsOf(f))).toEqual(invoices.map(() => 1));
  });
});
