/**
 * `npm run demo -- FILE...`: sends real UBL invoices through the whole platform.
 *
 * Starts the platform if it is not running (and stops what it started), imports each file into the
 * demo tenant, sends it to ANAF (the simulator by default), waits for the final state and prints one
 * line per file — file, final state, `index_incarcare` or the fatal rule ids — and last a JSON summary
 * `{"accepted":N,"rejected":N,"invalid":N,"failed":N,"unknown":N}`. Exit code 0 when no file ended
 * `failed` or `unknown`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readStackConfig } from './config.js';
import { ClientCredentialsTokenSource } from '@cetate/platform-identity';
import { ApiProblemError, InvoicingApiClient } from './invoicing-api.client.js';
import { httpOk, waitUntil } from './process-group.js';

type Outcome = 'accepted' | 'rejected' | 'invalid' | 'failed' | 'unknown';

async function main(): Promise<number> {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: npm run demo -- FILE.xml [FILE.xml ...]\n');
    return 2;
  }
  const cfg = readStackConfig();
  const apiUrl = process.env.INVOICING_API_URL ?? `http://127.0.0.1:${cfg.apiPort}`;
  const identityUrl = cfg.keycloakUrl ?? `http://127.0.0.1:${cfg.identityPort}`;

  let platform: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;
  /** Stops the platform this run started (its own process group), if any. */
  const stop = async () => {
    if (!platform?.pid || platform.exitCode !== null || platform.signalCode !== null) return;
    try {
      process.kill(-platform.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await exited;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  try {
    if (!(await httpOk(`${apiUrl}/health`).catch(() => false))) {
      process.stdout.write('platform not running: starting it (npm start) ...\n');
      const t0 = Date.now();
      platform = spawn(process.execPath, ['--import', 'tsx', 'tools/dev-stack/src/main.ts'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        detached: true,
        env: process.env,
      });
      const child = platform;
      const done = new Promise<number | string>((resolve) => child.on('exit', (c, sig) => resolve(c ?? sig ?? 'unknown')));
      exited = done;
      await waitUntil('the platform', () => httpOk(`${apiUrl}/health`), {
        timeoutMs: 120_000,
        intervalMs: 500,
        proc: { name: 'platform', child, exited: done },
      });
      process.stdout.write(`platform up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const creds = new ClientCredentialsTokenSource({
      tokenUrl: `${identityUrl}/realms/${cfg.demoTenant}/protocol/openid-connect/token`,
      clientId: process.env.DEMO_CLIENT_ID ?? 'cetate-api',
      clientSecret: process.env.DEMO_CLIENT_SECRET ?? 'cetate-api-secret',
    });
    const api = new InvoicingApiClient(apiUrl, () => creds.getToken());
    const counts: Record<Outcome, number> = { accepted: 0, rejected: 0, invalid: 0, failed: 0, unknown: 0 };
    const width = Math.max(...files.map((f) => f.length));
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const [outcome, detail] = await runOne(api, file);
        counts[outcome]++;
        process.stdout.write(`${file.padEnd(width)}  ${outcome.padEnd(8)}  ${detail}\n`);
      }
    };
    await Promise.all(Array.from({ length: Number(process.env.DEMO_CONCURRENCY ?? 4) }, worker));
    process.stdout.write(JSON.stringify(counts) + '\n');
    return counts.failed + counts.unknown === 0 ? 0 : 1;
  } finally {
    await stop();
  }
}

async function runOne(api: InvoicingApiClient, file: string): Promise<[Outcome, string]> {
  try {
    const xml = await readFile(file);
    const inv = await api.importXml(xml);
    await api.send(inv.id);
    const done = await api.waitForFinal(inv.id, { timeoutMs: Number(process.env.DEMO_TIMEOUT_MS ?? 180_000) });
    const s = done.efactura.state;
    if (s === 'accepted') return ['accepted', `index_incarcare=${done.efactura.indexIncarcare}`];
    if (s === 'invalid' || s === 'rejected') return [s, done.efactura.fatal.join(',')];
    if (s === 'unknown') return ['unknown', done.efactura.reason ?? ''];
    if (s === 'failed') return ['failed', done.efactura.reason ?? ''];
    return ['failed', `no final state in time (still ${s})`];
  } catch (err) {
    if (err instanceof ApiProblemError) return ['failed', `${err.status} ${err.problem.code}: ${err.problem.detail} (trace ${err.problem.traceId})`];
    return ['failed', (err as Error).message];
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
