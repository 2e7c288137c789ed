import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { startTestPlatform, type SpawnedApi, type TestPlatform } from './test-platform.js';
import type { InvoiceView, InvoicingApiClient } from '../invoicing-api.client.js';

// Issue 7 acceptance: "two worker processes and two API processes on one tenant: no duplicate upload". The in-process
// invoicing-api and a second one in its own process share the tenant database, the vhost and the event queue; two
// worker-anaf processes compete for the submit and status-sync queues. Every invoice is sent through both APIs at the
// same moment (every tenth a third time), so the row lock of `send`, the outbox relays of both APIs and the
// submission record of both workers are all raced.

const N = 200;
const WIDTH = 10; // invoices raced at once (2 cores)
let p: TestPlatform;
let second: SpawnedApi;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ worker: 'none', processingDelayMs: 1500 });
  second = await p.spawnApi();
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map(exited));
  await p?.close();
});

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, `width` at once. */
async function eachLimit<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
  }));
}

/** Waits until every invoice of the tenant is settled (one query per look; polling 200 invoices through the API would be the load). */
async function waitForSettled(n: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  let settled = 0;
  while (Date.now() < end) {
    const [r] = await p.tenantQuery<{ n: number }>(`SELECT count(*)::int AS n FROM invoicing.invoice WHERE efactura_state IN ('accepted', 'rejected', 'invalid', 'failed')`);
    settled = r?.n ?? 0;
    if (settled >= n) break;
    await sleep(500);
  }
  return settled;
}

describe('two worker-anaf processes and two invoicing-api processes on one tenant', () => {
  it('every invoice sent through both APIs at once is queued once, uploaded once and accepted', async () => {
    const apis: InvoicingApiClient[] = [p.client, second.client];
    const tag = `COMPETE-${Date.now().toString(36)}`;
    const invoices: InvoiceView[] = new Array(N);
    await eachLimit(invoices, WIDTH, async (_, i) => {
      invoices[i] = await apis[i % 2]!.create({ ...DEMO_INVOICE_DOCUMENT, number: `${tag}-${i + 1}` });
    });
    workers.push(p.spawnWorker(), p.spawnWorker());

    const queuedPerInvoice: number[] = new Array(N).fill(0);
    await eachLimit(invoices, WIDTH, async (inv, i) => {
      const sends = [p.client.send(inv.id), second.client.send(inv.id)];
      if (i % 10 === 0) sends.push(apis[(i / 10) % 2]!.send(inv.id)); // the same API twice as well
      const results = await Promise.all(sends);
      queuedPerInvoice[i] = results.filter((r) => r.queued).length;
    });
    expect(queuedPerInvoice.filter((q) => q !== 1), 'invoices whose concurrent sends did not queue exactly one command').toEqual([]);

    const settled = await waitForSettled(N, 240_000);
    const finals = await Promise.all(invoices.map((inv, i) => apis[i % 2]!.get(inv.id)));
    const notAccepted = finals.filter((f) => f.efactura.state !== 'accepted').map((f) => `${f.number}: ${f.efactura.state} (${f.efactura.reason ?? ''})`);
    expect(notAccepted, `${settled} of ${N} settled; not accepted`).toEqual([]);
    const uploads = finals.map((f) => p.uploadsOf(f));
    expect(uploads.filter((u) => u !== 1), 'simulator uploads of invoices not uploaded exactly once').toEqual([]);

    // the workers' records: one submission per invoice, one upload started each
    const subs = await p.tenantQuery<{ invoice_id: string; n: number; attempts: number }>(
      `SELECT invoice_id, count(*)::int AS n, max(upload_attempts)::int AS attempts FROM efactura.submission GROUP BY invoice_id`,
    );
    expect(subs).toHaveLength(N);
    expect(subs.filter((s) => s.n !== 1 || s.attempts !== 1)).toEqual([]);
    // history as the API keeps it: one send request per invoice; a redelivered submit seen while another worker was
    // still uploading would show as a detour through `unknown` (reported, not a duplicate upload)
    const hist = await p.tenantQuery<{ invoice_id: string; sends: number; unknowns: number }>(
      `SELECT invoice_id, count(*) FILTER (WHERE event = 'send-requested')::int AS sends, count(*) FILTER (WHERE state = 'unknown')::int AS unknowns
         FROM invoicing.invoice_history GROUP BY invoice_id`,
    );
    expect(hist.filter((h) => h.sends !== 1)).toEqual([]);
    console.log(`competing: ${N} invoices, ${N * 2 + N / 10} sends over 2 API processes, 2 worker processes; ${hist.filter((h) => h.unknowns > 0).length} invoices went through unknown`);
  }, 420_000);
});
