import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import { AnafClient } from '@cetate/anaf-client';
import { EfacturaInboxSyncCommand } from '@cetate/invoicing-contracts';
import { startTestPlatform, type TestPlatform } from '@cetate/dev-stack/test-platform';
import { median, percentile, perSecond, type BenchRow } from './stats.js';

/** Options of {@link benchInbox}. */
export interface InboxBenchOptions {
  /** Received invoices (`FACTURA PRIMITA`) seeded in the simulator for the tenant's CIF, and again for the reference CIF (default 5,000). */
  messages: number;
  /** The supplier check of each received invoice through the taxpayer lookup (PlatitorTvaRest v9, 1 call/s): on as in production (default), or off (`ANAF_TAXPAYER_URL=none`). */
  supplierCheck: boolean;
  /** Directory for a V8 CPU profile of the worker process (`--cpu-prof`), written when it stops; absent: none. */
  cpuProfDir?: string;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Suppliers the seeded invoices are spread over (round-robin), and their `data_creare` spread: a full 60-day inbox. */
const SELLERS = 50;
const DAYS_AGO: [number, number] = [0, 59];
/** The worker's inbox-sync lanes (`InboxSyncConfig.concurrency`, production default 8): the reference uses the same. */
const CONCURRENCY = 8;
/** A buyer CIF no tenant of the platform has: the reference's fresh inbox. */
const REFERENCE_CIF = '14399840';
/**
 * ANAF allows 1,000 calls a minute (ANAF-EFACTURA.md "Limits"); the worker's ledger keeps it under that by waiting for
 * the next minute, which caps a sync at ~16 messages/s. The bench measures Cetate, so the worker gets a higher limit;
 * the row "ANAF-limited rate" states the real cap.
 */
const BENCH_CALLS_PER_MINUTE = 1_000_000;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Resolves when `queue` of the vhost at `amqpUrl` has a consumer (the worker child is ready). @throws after `timeoutMs`. */
async function waitForConsumer(amqpUrl: string, queue: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const conn = await amqp.connect(amqpUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker-anaf exited (${child.exitCode ?? child.signalCode}) before consuming`);
      const ch = await conn.createChannel();
      ch.on('error', () => undefined); // a 404 before the queue is declared closes the channel; tried again
      const n = await ch.checkQueue(queue).then(
        (q) => q.consumerCount,
        () => 0,
      );
      await ch.close().catch(() => undefined);
      if (n > 0) return;
      if (Date.now() > deadline) throw new Error(`no consumer on ${queue} within ${timeoutMs} ms`);
      await sleep(250);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** The ANAF calls the worker's quota ledger counted for the tenant so far (every attempt, retries included). */
async function anafCalls(p: TestPlatform, cif: string): Promise<{ listPages: number; descarcare: number; descarcareIds: number; descarcareMaxPerId: number; all: number }> {
  const [r] = await p.tenantQuery<{ list: number; dl: number; ids: number; most: number; all: number }>(
    `SELECT coalesce(sum(used) FILTER (WHERE endpoint = 'listaMesajePaginatieFactura' AND key = $1), 0)::int AS list,
            coalesce(sum(used) FILTER (WHERE endpoint = 'descarcare'), 0)::int AS dl,
            (count(*) FILTER (WHERE endpoint = 'descarcare'))::int AS ids,
            coalesce(max(used) FILTER (WHERE endpoint = 'descarcare'), 0)::int AS most,
            coalesce(sum(used) FILTER (WHERE endpoint = 'apiCalls'), 0)::int AS all
       FROM efactura.anaf_quota`,
    [cif],
  );
  return { listPages: r!.list, descarcare: r!.dl, descarcareIds: r!.ids, descarcareMaxPerId: r!.most, all: r!.all };
}

interface RunRow {
  status: string;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  window_end: Date | null;
  listed: number;
  new_messages: number;
  archived: number;
  received_invoices: number;
  failed: number;
  pending: number;
  error: string | null;
}

/** Asks for a sync through invoicing-api (`POST /v1/efactura/inbox/sync`) and waits for the run's end in `efactura.inbox_sync_run`. */
async function syncNow(p: TestPlatform, cif: string, timeoutMs: number): Promise<{ runId: string; t0: number; run: RunRow }> {
  const t0 = Date.now();
  const started = await p.apiCall('POST', '/v1/efactura/inbox/sync', { data: JSON.stringify({ cif }), type: 'application/json' });
  if (started.status !== 202) throw new Error(`POST /v1/efactura/inbox/sync answered ${started.status}: ${started.bytes.toString('utf8').slice(0, 300)}`);
  const runId = (started.json as { runs: Array<{ runId: string }> }).runs[0]!.runId;
  const deadline = t0 + timeoutMs;
  for (;;) {
    const [run] = await p.tenantQuery<RunRow>(`SELECT * FROM efactura.inbox_sync_run WHERE id = $1`, [runId]);
    if (run && ['done', 'failed', 'skipped'].includes(run.status)) return { runId, t0, run };
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs / 1000} s: ${JSON.stringify(run)}`);
    await sleep(200);
  }
}

/** Waits until `purchases.purchase_invoice` holds `n` e-Factura purchase invoices; the time of the last insert, epoch ms. */
async function waitForPurchases(p: TestPlatform, n: number, timeoutMs: number): Promise<{ count: number; lastAt: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await p.tenantQuery<{ n: number; last: Date | null }>(`SELECT count(*)::int AS n, max(created_at) AS last FROM purchases.purchase_invoice WHERE source = 'efactura'`);
    if (r!.n >= n || Date.now() > deadline) return { count: r!.n, lastAt: r!.last?.getTime() ?? NaN };
    await sleep(250);
  }
}

/**
 * The reference: ANAF calls alone for a fresh inbox of `count` messages of {@link REFERENCE_CIF}: one `AnafClient` (no
 * quota ledger, no database, no bucket, no parsing) pages `listaMesajePaginatieFactura` (filter P) over the same 60-day
 * window, then downloads every message with {@link CONCURRENCY} at once.
 */
async function reference(p: TestPlatform): Promise<{ listMs: number; downloadMs: number; messages: number; bytes: number }> {
  const client = new AnafClient({ apiBaseUrl: `${p.sim.url}/test/FCTEL/rest`, tokenProvider: () => p.sim.issueAccessToken(), timeoutMs: 30_000 });
  try {
    const now = Date.now();
    const t0 = performance.now();
    const ids: string[] = [];
    for await (const m of client.listaMesajePaginatie({ cif: REFERENCE_CIF, startTime: new Date(now - 60 * 86_400_000 + 3600_000), endTime: new Date(now), filtru: 'P' })) ids.push(m.id);
    const t1 = performance.now();
    let next = 0;
    let bytes = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < ids.length; i = next++) {
          const { zip } = await client.descarcare(ids[i]!);
          bytes += zip.length; // after the await: `bytes += await …` would read `bytes` before it and lose the other lanes' sums
        }
      }),
    );
    return { listMs: t1 - t0, downloadMs: performance.now() - t1, messages: ids.length, bytes };
  } finally {
    client.shutdown();
  }
}

/**
 * `npm run bench -- inbox [--messages N]` (issue 10 acceptance: "prints messages synced per second for a 5,000-message
 * inbox"). On the local services, the test platform of the e2e (`startTestPlatform({ documents: true })`: real
 * PostgreSQL and RabbitMQ, embedded S3, the ANAF simulator, invoicing-api and documents-api in this process) and ONE
 * `worker-anaf` child process (`apps/worker-anaf/src/main.ts`, the production wiring: quota ledger in the tenant
 * database, ZIP signatures checked against the simulator's certificate, supplier check through the taxpayer lookup):
 *
 * 1. reference: the raw ANAF calls for a fresh N-message inbox of another CIF (see {@link reference});
 * 2. N received invoices seeded for the tenant's CIF (50 suppliers, `data_creare` spread over 59 days), one sync asked
 *    through the API: request → run `done` (messages/s: THE figure), its phases from the flow's own timestamps
 *    (run `started_at`, `window_end`, `inbox_message.listed_at/archived_at/recorded_at`), the ANAF calls the worker's
 *    quota ledger counted (list pages, descarcare per message: must be exactly 1), then request → all N purchase
 *    invoices in `purchases.purchase_invoice` (end to end, documents-api included);
 * 3. a second sync of the same inbox (nothing new): the cost of a no-op full sweep.
 *
 * Rows carry `/proc/loadavg` at the start and the end (the machine is shared). Everything created (databases, vhost,
 * bucket directory, the worker process, the certificate file) is removed at the end, also on failure.
 * @throws Error when the platform does not start, a run fails or does not end, or the counts are not N.
 */
export async function benchInbox(o: InboxBenchOptions): Promise<BenchRow[]> {
  const S = 'inbox';
  const N = o.messages;
  const rows: BenchRow[] = [];
  const loadStart = loadavg();
  const p = await startTestPlatform({ documents: true, worker: 'none', anafTimeoutMs: 30_000 });
  const tmp = await mkdtemp(join(tmpdir(), 'cetate-inbox-bench-'));
  let worker: ChildProcess | undefined;
  try {
    // ---- reference: ANAF calls alone --------------------------------------------------------------------------------
    o.log(`reference: seeding ${N} messages for CIF ${REFERENCE_CIF}, listing and downloading them with one AnafClient, ${CONCURRENCY} at once`);
    p.sim.seedInbox({ buyerCif: REFERENCE_CIF, count: N, sellers: SELLERS, daysAgo: DAYS_AGO });
    const ref = await reference(p);
    if (ref.messages !== N) throw new Error(`reference listed ${ref.messages} messages, seeded ${N}`);
    const refMs = ref.listMs + ref.downloadMs;

    // ---- the worker, as production runs it ---------------------------------------------------------------------------
    const certFile = join(tmp, 'anaf-sim.pem');
    await writeFile(certFile, p.sim.certificatePem);
    const env: Record<string, string> = {
      ANAF_CALLS_PER_MINUTE: String(BENCH_CALLS_PER_MINUTE),
      ANAF_SIGNING_CERT_FILE: certFile,
      ANAF_TIMEOUT_MS: '30000',
      ...(o.supplierCheck ? {} : { ANAF_TAXPAYER_URL: 'none' }),
      ...(o.cpuProfDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${o.cpuProfDir}`.trim() } : {}),
    };
    worker = p.spawnWorker('worker-anaf', env);
    await waitForConsumer(p.workerEnv.AMQP_URL!, EfacturaInboxSyncCommand.queue, worker, 60_000);

    // ---- the sync of a 5,000-message inbox ---------------------------------------------------------------------------
    const cif = p.tenant.cif;
    o.log(`seeding ${N} received invoices for CIF ${cif} (${SELLERS} suppliers, ${DAYS_AGO[1]} days); sync through POST /v1/efactura/inbox/sync`);
    p.sim.seedInbox({ buyerCif: cif, count: N, sellers: SELLERS, daysAgo: DAYS_AGO });
    const taxpayerCallsBefore = p.sim.taxpayerCalls().length;
    const first = await syncNow(p, cif, 60 * 60_000);
    if (first.run.status !== 'done') throw new Error(`sync ended ${first.run.status}: ${first.run.error}`);
    const taxpayerCalls = p.sim.taxpayerCalls().length - taxpayerCallsBefore;
    const calls1 = await anafCalls(p, cif);
    o.log(`run done in ${((first.run.finished_at!.getTime() - first.t0) / 1000).toFixed(1)} s; waiting for the purchase invoices`);
    const bought = await waitForPurchases(p, N, 10 * 60_000);
    const [t] = await p.tenantQuery<{ last_listed: Date; first_archived: Date; last_archived: Date; first_recorded: Date; last_recorded: Date; n: number; recorded: number }>(
      `SELECT max(listed_at) AS last_listed, min(archived_at) AS first_archived, max(archived_at) AS last_archived,
              min(recorded_at) AS first_recorded, max(recorded_at) AS last_recorded, count(*)::int AS n,
              (count(*) FILTER (WHERE status = 'recorded'))::int AS recorded
         FROM efactura.inbox_message WHERE cif = $1 AND filtru = 'P'`,
      [cif],
    );
    const handover = (await p.tenantQuery<{ ms: number }>(
      `SELECT extract(epoch FROM recorded_at - archived_at) * 1000 AS ms FROM efactura.inbox_message WHERE cif = $1 AND recorded_at IS NOT NULL AND archived_at IS NOT NULL`,
      [cif],
    )).map((r) => Number(r.ms));
    const r1 = first.run;
    const requestToDone = r1.finished_at!.getTime() - first.t0;
    const synced = Math.min(r1.archived, r1.received_invoices);
    const startedAt = r1.started_at!.getTime();
    const listEnd = t!.last_listed.getTime();
    const processMs = r1.finished_at!.getTime() - listEnd;
    const handoverSum = handover.reduce((a, b) => a + b, 0);
    const laneMs = processMs * CONCURRENCY;

    // ---- a second sync: nothing new ----------------------------------------------------------------------------------
    o.log('second sync of the same inbox (nothing new)');
    const second = await syncNow(p, cif, 10 * 60_000);
    const calls2 = await anafCalls(p, cif);
    await sleep(1500); // a wrongly handed-over event would reach documents-api within the relay's second
    const afterSecond = await waitForPurchases(p, N, 0);
    const loadEnd = loadavg();

    const s = (ms: number) => (ms / 1000).toFixed(1);
    rows.push(
      { section: S, metric: 'machine load (1/5/15 min) at start', value: loadStart, unit: '', note: `${N} messages; worker-anaf as a child process, ${CONCURRENCY} lanes; supplier check ${o.supplierCheck ? 'on' : 'off'}` },
      { section: S, metric: 'reference: list (all pages)', value: s(ref.listMs), unit: 's', note: `one AnafClient, no ledger/database/bucket/parsing; ${N} messages of a fresh inbox` },
      { section: S, metric: 'reference: download all', value: s(ref.downloadMs), unit: 's', note: `${CONCURRENCY} at once; ${(ref.bytes / N / 1024).toFixed(1)} KiB per ZIP` },
      { section: S, metric: 'reference: messages/s (ANAF calls alone)', value: perSecond(N, refMs), unit: 'msg/s', note: `${s(refMs)} s in all: the simulator's share of the sync` },
      { section: S, metric: 'sync: request → run done', value: s(requestToDone), unit: 's', note: `run ${r1.status}: listed ${r1.listed}, new ${r1.new_messages}, archived ${r1.archived}, handed over ${r1.received_invoices}, failed ${r1.failed}, pending ${r1.pending}` },
      { section: S, metric: 'sync: messages synced/s (archived + handed over)', value: perSecond(synced, requestToDone), unit: 'msg/s', note: `THE issue-10 figure; ${(requestToDone / refMs).toFixed(1)}× the reference time` },
      { section: S, metric: 'phase: request → worker started', value: s(startedAt - first.t0), unit: 's', note: 'API transaction, outbox relay, queue' },
      { section: S, metric: 'phase: list (P pages + insert)', value: s(listEnd - startedAt), unit: 's', note: `run started_at → last listed_at (window_end ${r1.window_end ? s(r1.window_end.getTime() - startedAt) : '?'} s after start)` },
      { section: S, metric: 'phase: download+verify+archive, then parse+hand-over', value: s(processMs), unit: 's', note: `last listed_at → run finished_at; first archived ${s(t!.first_archived.getTime() - listEnd)} s in, last recorded ${s(t!.last_recorded.getTime() - listEnd)} s in` },
      { section: S, metric: '  share of lane time: parse+check+hand-over', value: ((100 * handoverSum) / laneMs).toFixed(0), unit: '%', note: `archived_at → recorded_at per message: median ${median(handover).toFixed(0)} ms, p95 ${percentile(handover, 95).toFixed(0)} ms (2nd ZIP read+verify, UBL parse, supplier check, outbox tx)` },
      { section: S, metric: '  share of lane time: download+verify+archive', value: (100 - (100 * handoverSum) / laneMs).toFixed(0), unit: '%', note: `the rest of ${CONCURRENCY} lanes × ${s(processMs)} s: descarcare, bucket probe + put, signature check, archived row` },
      { section: S, metric: 'ANAF calls: list pages (P + R)', value: calls1.listPages, unit: 'calls', note: `500 messages a page; all calls counted by the ledger: ${calls1.all}` },
      { section: S, metric: 'ANAF calls: descarcare per message', value: `${calls1.descarcare / Math.max(1, calls1.descarcareIds)}`, unit: '', note: `${calls1.descarcare} calls for ${calls1.descarcareIds} ids, at most ${calls1.descarcareMaxPerId} for one id (must be 1)` },
      { section: S, metric: 'taxpayer lookup calls (PlatitorTvaRest, 1/s)', value: o.supplierCheck ? taxpayerCalls : '-', unit: 'calls', note: o.supplierCheck ? `during the run; ≥ ${taxpayerCalls} s of the run are paced by ANAF's 1 call/s` : 'supplier check off' },
      { section: S, metric: 'ANAF-limited rate (1,000 calls/min)', value: (1000 / 60).toFixed(1), unit: 'msg/s', note: `one descarcare per message; the bench lifts the worker's limit to ${BENCH_CALLS_PER_MINUTE.toLocaleString('en-US')}/min to measure Cetate` },
      { section: S, metric: 'end to end: request → all purchase invoices', value: s(bought.lastAt - first.t0), unit: 's', note: `${bought.count} of ${N} in purchases.purchase_invoice (documents-api)` },
      { section: S, metric: 'end to end: purchase invoices/s', value: perSecond(bought.count, bought.lastAt - first.t0), unit: 'inv/s', note: `last one ${s(bought.lastAt - r1.finished_at!.getTime())} s after the run's end` },
      { section: S, metric: 'second sync (nothing new): request → done', value: s(second.run.finished_at!.getTime() - second.t0), unit: 's', note: `run ${second.run.status}: listed ${second.run.listed}, new ${second.run.new_messages}, archived ${second.run.archived}; ${calls2.listPages - calls1.listPages} list pages, ${calls2.descarcare - calls1.descarcare} descarcare; purchases still ${afterSecond.count}` },
      { section: S, metric: 'machine load (1/5/15 min) at end', value: loadEnd, unit: '', note: '' },
    );
    if (bought.count !== N || afterSecond.count !== N) throw new Error(`${bought.count} then ${afterSecond.count} purchase invoices for ${N} messages`);
    if (second.run.new_messages !== 0 || second.run.archived !== 0) throw new Error(`second sync took ${second.run.new_messages} new messages`);
    return rows;
  } catch (err) {
    if (rows.length) o.log(`failed after measuring:\n${rows.map((r) => `${r.metric}: ${r.value} ${r.unit} ${r.note ?? ''}`).join('\n')}`);
    throw err;
  } finally {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM'); // a clean stop writes the CPU profile
      await Promise.race([exited, sleep(20_000)]);
    }
    await p.close();
    await rm(tmp, { recursive: true, force: true });
  }
}
