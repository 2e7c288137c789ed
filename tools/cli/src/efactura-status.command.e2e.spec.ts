/**
 * Issue 7 acceptance, `cetate efactura status --tenant SLUG [--json]`, on a real platform (`startTestPlatform`:
 * PostgreSQL, RabbitMQ, s3rver, the dev identity server, invoicing-api and worker-anaf in-process, the ANAF
 * simulator). Invoices are sent and accepted through the API; then the command runs as a child process through
 * the `npm run cetate` entry (`tools/cli/src/main.ts` under tsx) and its numbers are checked against the tenant
 * database and against the simulator's own daily counters (probed until the simulator refuses).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnafClient, bucharestDay } from '@cetate/anaf-client';
import { EFACTURA_STATES, DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { PostgresQuotaLedger } from '@cetate/invoicing-efactura';
import { conformanceDir, testEnv } from '@cetate/platform-testing';
import { startTestPlatform, type TestPlatform } from '@cetate/dev-stack/test-platform';
import { runCli } from './cli.js';
import type { EfacturaStatusReport } from './efactura-status.command.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(root, 'node_modules/.bin');
const INVALID_XML = join(conformanceDir(), 'invoices/ro-mut/mut_BR-RO-010.xml');

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cetate ...` as `npm run cetate` runs it (tsx tools/cli/src/main.ts), on the platform's databases. */
function cetate(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      join(bin, 'tsx'),
      ['tools/cli/src/main.ts', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
          DATABASE_URL: p.workerEnv.DATABASE_URL,
          PLATFORM_DATABASE_URL: p.workerEnv.PLATFORM_DATABASE_URL,
          PG_CLUSTERS: '',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function statusJson(slug: string): Promise<EfacturaStatusReport> {
  const r = await cetate(['efactura', 'status', '--tenant', slug, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as EfacturaStatusReport;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const countsOf = (rows: Array<{ k: string; n: number }>) => Object.fromEntries(rows.map((r) => [r.k, r.n]));

/** Calls the simulator (not through our client, no ledger) until it answers with its daily-limit refusal. */
async function simCallsLeft(endpoint: 'stareMesaj' | 'descarcare', key: string, max: number): Promise<number> {
  const token = await p.sim.issueAccessToken();
  const query = endpoint === 'stareMesaj' ? `id_incarcare=${key}` : `id=${key}`;
  for (let n = 0; n <= max; n++) {
    const res = await fetch(`${p.sim.url}/test/FCTEL/rest/${endpoint}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    if (/S-au facut deja \d+ .* in cursul zilei/.test(body.toString('latin1'))) return n;
  }
  throw new Error(`the simulator took more than ${max} ${endpoint} calls for ${key}`);
}

describe('cetate efactura status (child process, real platform)', () => {
  it('--json: invoices per state, submissions, outstanding uploads and quota use today equal the database and the simulator', async () => {
    // three invoices accepted by ANAF (the simulator), one stopped by the local rules
    const sent = [];
    for (const i of [1, 2, 3]) {
      const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: `ST-${i}` });
      await p.client.send(inv.id);
      sent.push(inv);
    }
    const invalid = await p.client.importXml(await readFile(INVALID_XML));
    await p.client.send(invalid.id);
    for (const inv of sent) expect((await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 })).efactura.state).toBe('accepted');
    expect((await p.client.waitForFinal(invalid.id, { timeoutMs: 30_000 })).efactura.state).toBe('invalid');
    // the status sync goes idle once nothing is outstanding: from then on the counters no longer move
    await until('the status sync to go idle', async () => {
      const rows = await p.tenantQuery<{ n: number }>(`SELECT count(*)::int AS n FROM efactura.status_sync WHERE scheduled_for IS NOT NULL OR lease_until > now()`);
      return rows[0]!.n === 0;
    });

    const subs = await p.tenantQuery<{ cif: string; index_incarcare: string; id_descarcare: string }>(
      `SELECT cif, index_incarcare, id_descarcare FROM efactura.submission WHERE status = 'accepted' ORDER BY index_incarcare`,
    );
    expect(subs).toHaveLength(3);
    const cif = subs[0]!.cif.replace(/^RO/i, '');
    expect(new Set(subs.map((s) => s.cif.replace(/^RO/i, '')))).toEqual(new Set([cif]));

    // A second client drawing on the same ledger (as another worker process would): 3 stareMesaj calls for one index.
    const ds = new DataSource({ type: 'postgres', url: new URL(`/${p.tenant.dbName}`, testEnv.databaseUrl).toString(), poolSize: 1 });
    await ds.initialize();
    try {
      const token = await p.sim.issueAccessToken();
      const anaf = new AnafClient({ apiBaseUrl: `${p.sim.url}/test/FCTEL/rest`, tokenProvider: async () => token, quota: new PostgresQuotaLedger(async () => ds) });
      try {
        for (let i = 0; i < 3; i++) expect((await anaf.stareMesaj(subs[0]!.index_incarcare)).stare).toBe('ok');
      } finally {
        anaf.shutdown();
      }
    } finally {
      await ds.destroy();
    }

    const r = await statusJson(p.tenant.slug);
    expect(r.tenant).toBe(p.tenant.slug);
    expect(r.tenantCif).toBe('41832096');
    expect(r.day).toBe(bucharestDay(Date.parse(r.at)));

    // invoices and submissions: the database's counts, every state listed
    const invoiceRows = countsOf(await p.tenantQuery<{ k: string; n: number }>(`SELECT efactura_state AS k, count(*)::int AS n FROM invoicing.invoice GROUP BY 1`));
    expect(Object.keys(r.invoices.byState)).toEqual([...EFACTURA_STATES]);
    expect(r.invoices.byState).toEqual({ ...Object.fromEntries(EFACTURA_STATES.map((s) => [s, 0])), ...invoiceRows });
    expect(r.invoices.byState).toMatchObject({ accepted: 3, invalid: 1, submitted: 0 });
    expect(r.invoices.total).toBe(4);
    const subRows = countsOf(await p.tenantQuery<{ k: string; n: number }>(`SELECT status AS k, count(*)::int AS n FROM efactura.submission GROUP BY 1`));
    expect(r.submissions.byStatus).toEqual(subRows);
    expect(r.submissions.byStatus.accepted).toBe(3);
    expect(r.submissions.total).toBe(Object.values(subRows).reduce((a, b) => a + b, 0));

    // the simulator uploaded each accepted invoice once and answered FACTURA TRIMISA once each
    for (const inv of sent) expect(p.uploadsOf(inv)).toBe(1);
    expect(p.sim.messages().filter((m) => m.cif === cif && m.tip === 'FACTURA TRIMISA').map((m) => m.id_solicitare).sort()).toEqual(subs.map((s) => s.index_incarcare).sort());

    // per CIF: nothing outstanding, the sync ran and is idle
    expect(r.outstanding).toBe(0);
    expect(r.cifs.map((c) => c.cif)).toEqual([cif]);
    const c = r.cifs[0]!;
    expect(c.outstanding).toEqual({ total: 0, submitted: 0, unknown: 0, 'upload-pending': 0 });
    expect(c.oldestOutstandingAt).toBeNull();
    const [sync] = await p.tenantQuery<{ runs: number; last_run_at: Date }>(`SELECT runs, last_run_at FROM efactura.status_sync`);
    expect(c.statusSync).toEqual({ nextRunAt: null, lastRunAt: sync!.last_run_at.toISOString(), lastError: null, runs: sync!.runs, running: false });
    expect(c.statusSync!.runs).toBeGreaterThanOrEqual(1);

    // quota today: the ledger's rows, attributed to the CIF through the submissions
    const quotaRows = await p.tenantQuery<{ endpoint: string; key: string; used: number }>(`SELECT endpoint, key, used FROM efactura.anaf_quota WHERE period = $1`, [r.day]);
    const rowsOf = (endpoint: string) => quotaRows.filter((q) => q.endpoint === endpoint);
    expect(c.quota.descarcare).toEqual({ used: 3, keys: 3, maxPerKey: 1, limitPerKey: 10 });
    expect(rowsOf('descarcare').map((q) => q.key).sort()).toEqual(subs.map((s) => s.id_descarcare).sort());
    expect(c.quota.stareMesaj).toEqual({ used: 3, keys: 1, maxPerKey: 3, limitPerKey: 100 });
    expect(rowsOf('stareMesaj')).toEqual([{ endpoint: 'stareMesaj', key: subs[0]!.index_incarcare, used: 3 }]);
    const paginated = rowsOf('listaMesajePaginatieFactura');
    expect(paginated.map((q) => q.key)).toEqual([cif]);
    expect(c.quota.listaMesajePaginatieFactura).toEqual({ used: paginated[0]!.used, limit: 100_000 });
    expect(c.quota.listaMesajePaginatieFactura.used).toBeGreaterThanOrEqual(2); // filters T and E, a page each
    expect(c.quota.listaMesajeFactura).toEqual({ used: 0, limit: 1500 });
    expect(r.unattributedQuota).toBeNull();

    // the simulator counted the same: it takes exactly the rest of its daily limit
    expect(await simCallsLeft('descarcare', subs[1]!.id_descarcare, 10)).toBe(10 - 1);
    expect(await simCallsLeft('stareMesaj', subs[0]!.index_incarcare, 100)).toBe(100 - 3);

    // every call took a slot of the per-minute limit: the minutes of today in the ledger
    const minutes = (await p.tenantQuery<{ period: string; used: number }>(`SELECT period, used FROM efactura.anaf_quota WHERE endpoint = 'apiCalls'`)).filter(
      (m) => bucharestDay(Date.parse(`${m.period}:00Z`)) === r.day,
    );
    const busiest = Math.max(...minutes.map((m) => m.used));
    expect(r.apiCalls).toMatchObject({ limitPerMinute: 1000, minutes: minutes.length, calls: minutes.reduce((a, m) => a + m.used, 0), busiestMinuteCalls: busiest });
    expect(minutes.find((m) => m.period === r.apiCalls.busiestMinute)?.used).toBe(busiest);
    const quotaCalls = c.quota.descarcare.used + c.quota.stareMesaj.used + c.quota.listaMesajePaginatieFactura.used;
    expect(r.apiCalls.calls).toBeGreaterThanOrEqual(quotaCalls + 3); // + the three uploads
  }, 180_000);

  it('human output: the tables with the same numbers', async () => {
    const r = await cetate(['efactura', 'status', '--tenant', p.tenant.slug]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^e-Factura status of tenant ${p.tenant.slug} \\(CIF 41832096, active\\) at \\d{4}-`));
    expect(lines).toContain('invoices per e-Factura state (4 in all)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}accepted\s+3$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}invalid\s+1$/));
    expect(lines).toContain('outstanding uploads and status sync per CIF (0 outstanding in all)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}41832096\s+0\s+-\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(\d+ (s|min) ago\)\s+\d+\s+-$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}41832096\s+0\/1500\s+\d+\/100000\s+3 \(busiest 3\/100, 1 index\)\s+3 \(busiest 1\/10, 3 ids\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}all calls: busiest minute \d{4}-\d\d-\d\dT\d\d:\d\d UTC \d+\/1000; \d+ call\(s\) in \d+ minute\(s\) today$/));
  }, 60_000);

  it('an upload ANAF is still processing shows as outstanding, with its age and the next sync run', async () => {
    p.sim.setProcessingDelayMs(10 * 60_000);
    const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'ST-4' });
    await p.client.send(inv.id);
    await until('the upload to be submitted', async () => (await p.client.get(inv.id)).efactura.state === 'submitted');
    const r = await statusJson(p.tenant.slug);
    const [sub] = await p.tenantQuery<{ upload_started_at: Date }>(`SELECT upload_started_at FROM efactura.submission WHERE invoice_id = $1`, [inv.id]);
    expect(r.outstanding).toBe(1);
    expect(r.invoices.byState.submitted).toBe(1);
    expect(r.submissions.byStatus.submitted).toBe(1);
    const c = r.cifs[0]!;
    expect(c.outstanding).toEqual({ total: 1, submitted: 1, unknown: 0, 'upload-pending': 0 });
    expect(c.oldestOutstandingAt).toBe(sub!.upload_started_at.toISOString());
    expect(c.oldestOutstandingAgeS).toBe(Math.floor((Date.parse(r.at) - sub!.upload_started_at.getTime()) / 1000));
    // a run is scheduled (or running) while the upload is outstanding
    expect(c.statusSync!.nextRunAt !== null || c.statusSync!.running).toBe(true);
    expect(p.uploadsOf(inv)).toBe(1);
  }, 120_000);

  it('another tenant shows nothing of this one; an unknown tenant is exit 1; a bad command line is exit 2', async () => {
    const other = await statusJson(p.otherTenant.slug);
    expect(other).toMatchObject({ tenant: p.otherTenant.slug, tenantCif: '35246718', outstanding: 0, invoices: { total: 0 }, submissions: { total: 0, byStatus: {} }, unattributedQuota: null });
    expect(other.cifs).toEqual([
      expect.objectContaining({ cif: '35246718', statusSync: null, outstanding: { total: 0, submitted: 0, unknown: 0, 'upload-pending': 0 } }),
    ]);
    expect(other.apiCalls).toMatchObject({ minutes: 0, calls: 0, busiestMinute: null });

    const unknown = await cetate(['efactura', 'status', '--tenant', 'no-such-tenant']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('cetate efactura status: TENANT_NOT_FOUND: No tenant with slug "no-such-tenant"');
    expect(unknown.stdout).toBe('');

    // usage errors are refused before anything is opened (in this process: the same runCli as main.ts)
    for (const [args, message] of [
      [['efactura', 'status'], 'efactura status needs --tenant SLUG'],
      [['efactura', 'status', '--tenant', 'Not A Slug'], '--tenant must be a tenant slug'],
      [['efactura', 'status', '--tenant', p.tenant.slug, '--bogus'], "Unknown option '--bogus'"],
    ] as const) {
      const err: string[] = [];
      const code = await runCli([...args], { out: () => undefined, err: (l) => err.push(l) }, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
      expect(code).toBe(2);
      expect(err.join('\n')).toContain(message);
      expect(err.join('\n')).toContain('usage: cetate efactura status --tenant SLUG [--json]');
    }
  }, 120_000);
});
