import { parseArgs } from 'node:util';
import type { InboxSyncRunView } from '@cetate/invoicing-api';
import { EXIT, UsageError, type CliIo } from './cli-io.js';
import { describeError } from './efactura-send.command.js';
import { openTenantApi, TENANT_SLUG_RE } from './tenant-api.js';

/** Usage of `cetate efactura inbox sync`. */
export const INBOX_SYNC_USAGE = `usage: cetate efactura inbox sync --tenant SLUG [--cif CUI] [--wait] [--timeout SECONDS] [--json]

Runs the e-Factura inbox sync now through the running invoicing-api (POST /v1/efactura/inbox/sync): for each
ANAF-authorised company of the tenant (or only --cif), worker-anaf lists ANAF's SPV messages (received invoices P,
buyer messages R), downloads each new one once, archives its signed ZIP and hands each supplier invoice to purchases.

  --tenant SLUG      tenant (= Keycloak realm); required
  --cif CUI          only this company (digits, RO optional)
  --wait             wait until every run has ended and print what it found
  --timeout SECONDS  longest wait with --wait (default 300)
  --json             one JSON object per run (InboxSyncRunView of apps/invoicing-api/src/inbox.controller.ts)
  -h, --help         this text

output: per run  CIF  STATUS  listed=N new=N archived=N invoices=N buyer-messages=N failed=N pending=N [error]
environment: INVOICING_API_URL (default http://127.0.0.1:3100), KEYCLOAK_URL, CETATE_CLIENT_ID / CETATE_CLIENT_SECRET
exit: 0 runs queued (with --wait: every run done), 1 a run failed or was skipped, or the API is unreachable, 2 usage error`;

const ENDED = new Set(['done', 'failed', 'skipped']);

/** One line of a run, for people. */
export function runLine(r: InboxSyncRunView): string {
  const counts = `listed=${r.listed} new=${r.newMessages} archived=${r.archived} invoices=${r.receivedInvoices} buyer-messages=${r.buyerMessages} failed=${r.failed} pending=${r.pending}`;
  return `${r.cif}  ${r.status.padEnd(7)}  ${counts}${r.error ? `  ${r.error}` : ''}`;
}

/**
 * `cetate efactura inbox sync --tenant SLUG [--cif CUI] [--wait]` (issue 10): asks invoicing-api for an inbox sync now
 * and, with `--wait`, polls `GET /v1/efactura/inbox/runs/:id` until each run ends, printing what it found.
 * @returns 0 when queued (with `--wait`: every run `done`); 1 otherwise. @throws UsageError on a bad command line.
 */
export async function runInboxSync(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        cif: { type: 'string' },
        wait: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.out(INBOX_SYNC_USAGE);
    return EXIT.OK;
  }
  if (!values.tenant) throw new UsageError('efactura inbox sync needs --tenant SLUG');
  if (!TENANT_SLUG_RE.test(values.tenant)) throw new UsageError(`--tenant must be a tenant slug, got "${values.tenant}"`);
  const timeoutS = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);

  const api = await openTenantApi(values.tenant, env, io, ['invoicing']);
  if (!api) return EXIT.FAILED;
  let runs: Array<{ runId: string; cif: string }>;
  try {
    ({ runs } = await api.json<{ runs: Array<{ runId: string; cif: string }> }>(api.urls.invoicing, 'POST', '/v1/efactura/inbox/sync', values.cif ? { cif: values.cif } : {}));
  } catch (err) {
    io.err(`inbox sync not started: ${describeError(err)}`);
    return EXIT.FAILED;
  }
  if (!values.wait) {
    for (const r of runs) io.out(values.json ? JSON.stringify({ runId: r.runId, cif: r.cif, status: 'queued' }) : `${r.cif}  queued   run=${r.runId}`);
    return EXIT.OK;
  }
  const deadline = Date.now() + timeoutS * 1000;
  let bad = 0;
  for (const r of runs) {
    let view: InboxSyncRunView | undefined;
    for (;;) {
      try {
        view = await api.json<InboxSyncRunView>(api.urls.invoicing, 'GET', `/v1/efactura/inbox/runs/${r.runId}`);
      } catch (err) {
        io.err(`run ${r.runId}: ${describeError(err)}`);
      }
      if ((view && ENDED.has(view.status)) || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    if (!view || !ENDED.has(view.status)) {
      bad++;
      io.out(values.json ? JSON.stringify({ runId: r.runId, cif: r.cif, status: view?.status ?? 'unknown', timedOut: true }) : `${r.cif}  ${view?.status ?? 'unknown'}  no end within ${timeoutS} s (run ${r.runId})`);
      continue;
    }
    if (view.status !== 'done') bad++;
    io.out(values.json ? JSON.stringify(view) : runLine(view));
  }
  return bad === 0 ? EXIT.OK : EXIT.FAILED;
}
