import { conformanceDir } from '@cetate/platform-testing';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const CONFORMANCE = conformanceDir();
let p: TestPlatform;

beforeAll(async () => {
  // ANAF takes 4 s to decide, so the worker is killed while it waits: after the upload, before the ack.
  p = await startTestPlatform({ worker: 'none', processingDelayMs: 4000 });
});
afterAll(async () => {
  await p?.close();
});

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('worker-anaf killed between the upload and the ack', () => {
  it('does not upload again after a restart, and the invoice still ends accepted', async () => {
    const src = await readFile(path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example2.xml'), 'utf8');
    const number = `CRASH-${Date.now()}`;
    const xml = src.replace(/<cbc:ID>[^<]+<\/cbc:ID>/, `<cbc:ID>${number}</cbc:ID>`);
    const inv = await p.client.importXml(xml);

    const first = p.spawnWorker();
    await p.client.send(inv.id);
    const deadline = Date.now() + 60_000;
    while (p.uploadsOf(inv) === 0) {
      if (Date.now() > deadline) throw new Error('the worker never uploaded');
      await new Promise((r) => setTimeout(r, 25));
    }
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');
    expect(() => process.kill(first.pid!, 0)).toThrow(); // the worker process itself is gone
    // (The API may still show an earlier state: the killed worker's last events can sit in its outbox
    // until the next worker relays them.)

    const second = p.spawnWorker();
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 90_000 });
    second.kill('SIGTERM');
    await exited(second);
    expect(done.efactura.state).toBe('accepted');
    expect(p.uploadsOf(inv)).toBe(1);
    // the worker's own record: one upload started, ever (the restart reconciled it instead of uploading again)
    const [sub] = await p.tenantQuery<{ upload_attempts: number }>(`SELECT upload_attempts FROM efactura.submission WHERE invoice_id = $1`, [inv.id]);
    expect(sub?.upload_attempts).toBe(1);
  });
});
