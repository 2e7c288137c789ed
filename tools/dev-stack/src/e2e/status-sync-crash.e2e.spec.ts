import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { testEnv } from '@cetate/platform-testing';
import { startTestPlatform, type TestPlatform } from './test-platform.js';
import type { InvoiceView } from '../invoicing-api.client.js';

// Issue 7 acceptance: "worker killed during a status sync". A worker child process is SIGKILLed while a status-sync run
// holds the CIF's lease and is downloading answers; a second worker takes the run over after the lease
// (STATUS_SYNC_LEASE_MS) and finishes. Nothing may be uploaded again and no answer ZIP downloaded beyond ANAF's
// 10 a day per id (ANAF-EFACTURA.md "Limits").

const N = 40;
/** ANAF's `descarcare` limit per download id and day. */
const DESCARCARE_LIMIT = 10;
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ worker: 'none', processingDelayMs: 2000 });
});
afterAll(async () => {
  await p?.close();
});

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client on the tenant database kept open while polling (a new connection every 10 ms would be the load). */
async function tenantClient(): Promise<pg.Client> {
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `/${p.tenant.dbName}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  return c;
}

interface SyncSnapshot {
  lease_owner: string;
  generation: number;
  downloads: number;
  submitted: number;
  accepted: number;
}

/**
 * Polls until every upload is done (each invoice `submitted` or settled: the kill must hit the status sync, not an
 * upload, which `worker-crash.e2e.spec.ts` covers), then until one status-sync run is caught in its downloads: the same
 * run holds the CIF's live lease across two looks while the `descarcare` count grows and some upload is still
 * `submitted`. Returns the second look, or null when every upload was settled before such a moment was seen.
 */
async function waitForRunInDownloads(db: pg.Client, timeoutMs: number): Promise<SyncSnapshot | null> {
  const end = Date.now() + timeoutMs;
  let last: SyncSnapshot | undefined;
  while (Date.now() < end) {
    const { rows } = await db.query<SyncSnapshot & { uploaded: number }>(
      `SELECT s.lease_owner, s.generation,
         (SELECT coalesce(sum(used), 0) FROM efactura.anaf_quota WHERE endpoint = 'descarcare')::int AS downloads,
         (SELECT count(*) FROM efactura.submission WHERE status = 'submitted')::int AS submitted,
         (SELECT count(*) FROM efactura.submission WHERE status = 'accepted')::int AS accepted,
         (SELECT count(*) FROM efactura.submission WHERE status IN ('submitted', 'accepted', 'rejected'))::int AS uploaded
       FROM (SELECT 1) one LEFT JOIN efactura.status_sync s ON s.lease_owner IS NOT NULL AND s.lease_until > now()`,
    );
    const r = rows[0]!;
    if (r.accepted >= N) return null;
    if (r.uploaded >= N && r.lease_owner && r.submitted > 0 && last?.lease_owner === r.lease_owner && r.downloads > last.downloads) return r;
    last = r;
    await sleep(5);
  }
  throw new Error(`no status-sync run was seen in its downloads within ${timeoutMs} ms`);
}

/** What the worker recorded of the invoices not accepted, for the failure message. */
async function diagnose(db: pg.Client, finals: InvoiceView[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of finals.filter((x) => x.efactura.state !== 'accepted')) {
    const { rows } = await db.query(`SELECT status, upload_attempts, index_incarcare, upload_started_at, reason FROM efactura.submission WHERE invoice_id = $1`, [f.id]);
    out.push(`${f.number}: API ${f.efactura.state}, simulator uploads ${p.uploadsOf(f)}, submission ${JSON.stringify(rows[0] ?? null)}`);
  }
  return out;
}

describe('worker-anaf killed during a status sync', () => {
  it('a second worker takes the run over: every invoice accepted, one upload each, no answer downloaded beyond the limit', async () => {
    const tag = `SYNCKILL-${Date.now().toString(36)}`;
    const invoices: InvoiceView[] = [];
    for (let i = 0; i < N; i += 8) {
      invoices.push(...(await Promise.all(Array.from({ length: Math.min(8, N - i) }, (_, k) => p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: `${tag}-${i + k + 1}` })))));
    }
    p.workerEnv.STATUS_SYNC_LEASE_MS = '3000';
    const db = await tenantClient();
    try {
      const first = p.spawnWorker();
      for (const inv of invoices) expect((await p.client.send(inv.id)).queued).toBe(true);

      const seen = await waitForRunInDownloads(db, 90_000);
      expect(seen, 'every upload was settled before a run could be caught in its downloads (nothing was killed mid-run)').not.toBeNull();
      first.kill('SIGKILL');
      await exited(first);
      expect(first.signalCode).toBe('SIGKILL');
      // the lease of the killed run is still in the row: nobody released it
      const [held] = (await db.query<{ lease_owner: string | null }>(`SELECT lease_owner FROM efactura.status_sync`)).rows;
      console.log(`status sync killed mid-run: generation ${seen!.generation}, ${seen!.downloads} downloads counted, ${seen!.accepted} accepted, ${seen!.submitted} still submitted; lease left by the killed run: ${held?.lease_owner ? 'yes' : 'no (the run had ended)'}`);

      const second = p.spawnWorker();
      try {
        const finals = await Promise.all(invoices.map((inv) => p.client.waitForFinal(inv.id, { timeoutMs: 150_000, intervalMs: 500 })));
        expect(await diagnose(db, finals), 'invoices not accepted after the takeover').toEqual([]);
        const uploads = finals.map((f) => p.uploadsOf(f));
        expect(uploads.filter((u) => u !== 1), 'invoices not uploaded exactly once (simulator count)').toEqual([]);

        // the worker's own records: one upload attempt each, every answer archived, its download counted 1..10 times
        const subs = (await db.query<{ invoice_id: string; status: string; upload_attempts: number; id_descarcare: string | null; answer_zip_key: string | null; used: number | null }>(
          `SELECT s.invoice_id, s.status, s.upload_attempts, s.id_descarcare, s.answer_zip_key, q.used
             FROM efactura.submission s
             LEFT JOIN efactura.anaf_quota q ON q.endpoint = 'descarcare' AND q.key = s.id_descarcare`,
        )).rows;
        expect(subs).toHaveLength(N);
        expect(subs.filter((s) => s.upload_attempts !== 1)).toEqual([]);
        expect(subs.filter((s) => !s.id_descarcare || !s.answer_zip_key)).toEqual([]);
        const perId = (await db.query<{ key: string; used: number }>(`SELECT key, used FROM efactura.anaf_quota WHERE endpoint = 'descarcare' ORDER BY used DESC`)).rows;
        const max = Math.max(...perId.map((r) => r.used));
        const twice = perId.filter((r) => r.used > 1).length;
        console.log(`descarcare per download id: max ${max}, ${twice} of ${perId.length} ids downloaded more than once`);
        expect(subs.filter((s) => !s.used || s.used < 1)).toEqual([]);
        expect(perId.filter((r) => r.used > DESCARCARE_LIMIT)).toEqual([]);

        // the CIF's schedule ends idle: the taken-over run (or a later one) finished and released the lease
        const end = Date.now() + 30_000;
        let row: { scheduled_for: Date | null; lease_owner: string | null } | undefined;
        while (Date.now() < end) {
          [row] = (await db.query<{ scheduled_for: Date | null; lease_owner: string | null }>(`SELECT scheduled_for, lease_owner FROM efactura.status_sync`)).rows;
          if (row && row.scheduled_for === null && row.lease_owner === null) break;
          await sleep(200);
        }
        expect(row).toMatchObject({ scheduled_for: null, lease_owner: null });
      } finally {
        second.kill('SIGTERM');
        await exited(second);
      }
    } finally {
      await db.end();
    }
  }, 300_000);
});
