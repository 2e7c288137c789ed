import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const run = promisify(execFile);
const CONFORMANCE = process.env.CONFORMANCE_DIR ?? path.resolve('../shared/conformance');
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ processingDelayMs: 2000 });
});
afterAll(async () => {
  await p?.close();
});

/**
 * Restarts the local RabbitMQ application (the Erlang node keeps running; every connection drops and
 * queues are recovered from disk). Runs in the `serial` Vitest project, after every other test, because
 * it disturbs every client of the broker. Needs `rabbitmqctl` (the local broker of this project's machines).
 */
async function restartRabbitMq(): Promise<void> {
  await run('rabbitmqctl', ['stop_app']);
  await run('rabbitmqctl', ['start_app']);
  await run('rabbitmqctl', ['await_startup']);
}

describe('RabbitMQ restarted mid-run', () => {
  it('loses nothing: every invoice in flight still ends accepted, each uploaded once', async () => {
    const src = await readFile(path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example3.xml'), 'utf8');
    const stamp = Date.now();
    const invoices = [];
    for (let i = 0; i < 8; i++) {
      const number = `RESTART-${stamp}-${i}`;
      const inv = await p.client.importXml(src.replace(/<cbc:ID>[^<]+<\/cbc:ID>/, `<cbc:ID>${number}</cbc:ID>`));
      invoices.push({ id: inv.id, number });
    }
    const cif = ((await p.client.get(invoices[0]!.id)) as unknown as { seller: { cif: string | null } }).seller.cif ?? p.tenant.cif;
    // Half are sent before the restart, half while the broker is down (they wait in the outbox).
    for (const inv of invoices.slice(0, 4)) await p.client.send(inv.id);
    const restarting = restartRabbitMq();
    await new Promise((r) => setTimeout(r, 300));
    for (const inv of invoices.slice(4)) await p.client.send(inv.id);
    await restarting;

    const finals = await Promise.all(invoices.map((inv) => p.client.waitForFinal(inv.id, { timeoutMs: 150_000 })));
    expect(finals.map((f) => f.efactura.state)).toEqual(invoices.map(() => 'accepted'));
    expect(invoices.map((inv) => p.sim.uploadsFor(cif, inv.number))).toEqual(invoices.map(() => 1));
  });
});
