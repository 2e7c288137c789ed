/**
 * Issue 10 acceptance, the CLI: `cetate efactura inbox sync --tenant SLUG --wait` runs a sync now and prints what it
 * found; `cetate purchases list --tenant SLUG --json` prints one JSON object per purchase invoice with `supplierCif`,
 * `number`, `issueDate`, `currency`, `payableAmount`, `idSolicitare`, `idDescarcare`, `zipObjectKey`. Both run as child
 * processes through the `npm run cetate` entry (tsx tools/cli/src/main.ts) against a real platform (`startTestPlatform`
 * with documents-api: PostgreSQL, RabbitMQ, s3rver, dev identity server, the APIs and worker-anaf, the simulator).
 */
import { execFile } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '@cetate/dev-stack/test-platform';
import type { PurchaseListEntry } from './purchases.command.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'node_modules/.bin');

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ documents: true });
}, 180_000);
afterAll(async () => {
  await p?.close();
});

/** `cetate ...` as `npm run cetate` runs it, pointed at the test platform's APIs and identity server. */
function cetate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      join(bin, 'tsx'),
      ['tools/cli/src/main.ts', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
          INVOICING_API_URL: p.api.url,
          DOCUMENTS_API_URL: p.documentsApi!.url,
          KEYCLOAK_URL: p.identity.url,
          CETATE_CLIENT_ID: 'cetate-api',
          CETATE_CLIENT_SECRET: 'cetate-api-secret',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('cetate efactura inbox sync / purchases list (issue 10)', () => {
  it('syncs the SPV inbox with --wait, printing what it found, then lists each received invoice once as JSON', async () => {
    const seeded = p.sim.seedInbox({ buyerCif: p.tenant.cif, count: 7, sellers: 3 });
    const sync = await cetate(['efactura', 'inbox', 'sync', '--tenant', p.tenant.slug, '--wait']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(new RegExp(`^${p.tenant.cif}  done +listed=7 new=7 archived=7 invoices=7 buyer-messages=0 failed=0 pending=0$`, 'm'));

    // documents-api records the handed-over invoices from its queue: wait for them, then list through the CLI
    const deadline = Date.now() + 60_000;
    let entries: PurchaseListEntry[] = [];
    for (;;) {
      const list = await cetate(['purchases', 'list', '--tenant', p.tenant.slug, '--json']);
      expect(list.code, list.stderr).toBe(0);
      entries = list.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as PurchaseListEntry);
      if (entries.length >= 7 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(entries).toHaveLength(7);
    for (const s of seeded) {
      const e = entries.filter((x) => x.idSolicitare === s.idSolicitare);
      expect(e, s.idSolicitare).toHaveLength(1);
      expect(e[0]).toMatchObject({
        source: 'efactura',
        supplierCif: s.sellerCif,
        number: s.number,
        issueDate: s.issueDate,
        currency: s.currency,
        payableAmount: s.payableAmount,
        idDescarcare: s.idDescarcare,
        duplicateOf: null,
      });
      expect(e[0]!.supplierCif).toMatch(/^\d{2,10}$/);
      expect(e[0]!.payableAmount).toMatch(/^\d+\.\d{2}$/);
      expect(e[0]!.zipObjectKey).toBe(`invoicing/efactura/inbox/${p.tenant.cif}/${s.idDescarcare}.zip`);
    }

    // a second sync finds nothing new; the list is unchanged
    const again = await cetate(['efactura', 'inbox', 'sync', '--tenant', p.tenant.slug, '--wait', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const run = JSON.parse(again.stdout.trim().split('\n')[0]!) as { status: string; newMessages: number; receivedInvoices: number; listed: number };
    expect(run).toMatchObject({ status: 'done', newMessages: 0, receivedInvoices: 0, listed: 7 });
    const after = await cetate(['purchases', 'list', '--tenant', p.tenant.slug, '--json']);
    expect(after.stdout.trim().split('\n')).toHaveLength(7);
  }, 240_000);

  it('refuses a company that is not ANAF-authorised with the API problem, exit 1', async () => {
    const r = await cetate(['efactura', 'inbox', 'sync', '--tenant', p.tenant.slug, '--cif', '35246718']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/409 ANAF_COMPANY_NOT_AUTHORISED/);
  }, 120_000);

  it('says how to fix an unreachable documents-api, exit 1; usage errors exit 2', async () => {
    const down = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(join(bin, 'tsx'), ['tools/cli/src/main.ts', 'purchases', 'list', '--tenant', p.tenant.slug], { cwd: root, env: { ...process.env, DOCUMENTS_API_URL: 'http://127.0.0.1:9' } }, (err, _o, stderr) =>
        done({ code: err && typeof err.code === 'number' ? err.code : 0, stderr }),
      ),
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/documents-api is not reachable at http:\/\/127\.0\.0\.1:9: start the platform with npm start/);
    expect((await cetate(['purchases', 'list'])).code).toBe(2);
    expect((await cetate(['efactura', 'inbox', 'frobnicate', '--tenant', p.tenant.slug])).code).toBe(2);
  }, 120_000);
});
