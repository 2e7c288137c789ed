/**
 * B2C (issue 7 point 6): an invoice whose buyer has no CUI (no BT-48; BT-47 a CNP or thirteen zeros) is sent with
 * `b2c: true` and the worker uploads it through ANAF's `uploadb2c`; a company buyer still goes through `upload`.
 *
 * The simulator keeps which endpoint an upload came through only in memory (`UploadRec.b2c`), so the worker of this
 * test talks to it through a recording HTTP proxy (every request forwarded unchanged, its path and invoice number
 * noted): the worker is a child process with `ANAF_BASE_URL` pointing at the proxy. Real platform otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import type { InvoiceView } from '@cetate/invoicing-contracts';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

/** One request the proxy forwarded to the simulator: the path with its query, and BT-1 of an uploaded body. */
interface Seen {
  method: string;
  path: string;
  number?: string;
}

let p: TestPlatform;
let proxy: Server;
let worker: ChildProcess;
const seen: Seen[] = [];

beforeAll(async () => {
  p = await startTestPlatform({ worker: 'none' });
  const target = new URL(p.sim.url);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', path: req.url ?? '', number: /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(body.toString('utf8'))?.[1] });
      const up = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  // one process (tsx as a loader), like TestPlatform.spawnWorker, with ANAF behind the proxy
  worker = spawn(process.execPath, ['--import', 'tsx', 'apps/worker-anaf/src/main.ts'], {
    env: { ...process.env, ...p.workerEnv, ANAF_BASE_URL: `http://127.0.0.1:${port}/test/FCTEL/rest` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}, 120_000);
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await new Promise((r) => proxy?.close(r));
  await p?.close();
});

const person = (number: string, legalRegistrationId: string) => ({
  ...DEMO_INVOICE_DOCUMENT,
  number,
  buyer: { name: 'Ion Popescu', legalRegistrationId, address: DEMO_INVOICE_DOCUMENT.buyer.address },
});

/** Sends and waits for ANAF's verdict; returns the final view. */
async function sendAndSettle(inv: InvoiceView): Promise<InvoiceView> {
  await p.client.send(inv.id);
  const done = await p.client.waitForFinal(inv.id, { timeoutMs: 90_000 });
  expect(done.efactura.state).toBe('accepted');
  return done;
}
const uploadsOf = (number: string) => seen.filter((s) => s.method === 'POST' && s.number === number).map((s) => new URL(s.path, 'http://x').pathname.split('/').at(-1) + new URL(s.path, 'http://x').search);

describe('B2C invoices go through uploadb2c', () => {
  it('a buyer identified by a CNP: b2c version, uploaded once through uploadb2c, accepted', async () => {
    const inv = await p.client.create(person('B2C-2026-0001', '1850101223344'));
    expect((await p.client.get(inv.id)).versions[0]!.efactura.b2c).toBe(true);
    await sendAndSettle(inv);
    expect(uploadsOf('B2C-2026-0001')).toEqual(['uploadb2c?standard=UBL&cif=41832096']);
    expect(p.uploadsOf(inv)).toBe(1);
    const detail = await p.client.get(inv.id);
    expect(detail.history.find((h) => h.event === 'send-requested')?.detail).toMatchObject({ b2c: true });
  });

  it('a buyer without a known CNP (thirteen zeros), imported as UBL XML, goes through uploadb2c too', async () => {
    const inv = await p.client.importXml(buildCiusRoUbl(person('B2C-2026-0002', '0000000000000')));
    expect((await p.client.get(inv.id)).versions[0]!.efactura.b2c).toBe(true);
    await sendAndSettle(inv);
    expect(uploadsOf('B2C-2026-0002')).toEqual(['uploadb2c?standard=UBL&cif=41832096']);
  });

  it('a company buyer (BT-48) still goes through upload', async () => {
    const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'B2B-2026-0001' });
    expect((await p.client.get(inv.id)).versions[0]!.efactura.b2c).toBe(false);
    await sendAndSettle(inv);
    expect(uploadsOf('B2B-2026-0001')).toEqual(['upload?standard=UBL&cif=41832096']);
  });
});
