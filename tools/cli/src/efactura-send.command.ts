import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isSettled } from '@cetate/invoicing-domain';
import { ClientCredentialsTokenSource } from '@cetate/platform-identity';
import { ApiProblemError, InvoicingApiClient } from '@cetate/dev-stack';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate efactura send`. */
export const SEND_USAGE = `usage: cetate efactura send --tenant SLUG [--wait] [--timeout SECONDS] FILE...

Imports each UBL file into the tenant through the running invoicing-api (POST /v1/invoices/import)
and asks to send it to ANAF e-Factura (POST /v1/invoices/:id/send).

  --tenant SLUG      tenant (= Keycloak realm) to act in; required
  --wait             wait for the final state (accepted, rejected, invalid, failed) of each invoice
  --timeout SECONDS  longest wait per invoice with --wait (default 180)
  -h, --help         this text

output: one line per file: FILE  STATE  index_incarcare=... | rule ids | reason | id=...
environment: INVOICING_API_URL (default http://127.0.0.1:3100), KEYCLOAK_URL (default http://127.0.0.1:8090),
             CETATE_CLIENT_ID / CETATE_CLIENT_SECRET (default cetate-api / cetate-api-secret)
exit: 0 every file queued (or, with --wait, accepted), 1 otherwise or API unreachable, 2 usage error`;

/** Connection settings of `efactura send`, from the environment (defaults of `npm start`). */
export interface SendConfig {
  apiUrl: string;
  keycloakUrl: string;
  clientId: string;
  clientSecret: string;
}

/** Reads {@link SendConfig} from `env` (INVOICING_API_URL, KEYCLOAK_URL, CETATE_CLIENT_ID, CETATE_CLIENT_SECRET). */
export function sendConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SendConfig {
  return {
    apiUrl: (env.INVOICING_API_URL || 'http://127.0.0.1:3100').replace(/\/+$/, ''),
    keycloakUrl: (env.KEYCLOAK_URL || 'http://127.0.0.1:8090').replace(/\/+$/, ''),
    clientId: env.CETATE_CLIENT_ID || 'cetate-api',
    clientSecret: env.CETATE_CLIENT_SECRET || 'cetate-api-secret',
  };
}

/** `true` when `GET <apiUrl>/health` answers at all (any HTTP status) within `timeoutMs`. */
export async function apiReachable(apiUrl: string, timeoutMs = 3000): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** One line for an error of the API client (problem code, detail, trace id) or of fetch (cause code). */
export function describeError(err: unknown): string {
  if (err instanceof ApiProblemError) {
    return `${err.status} ${err.problem.code ?? ''}: ${err.problem.detail ?? err.problem.title ?? ''}${err.problem.traceId ? ` (trace ${err.problem.traceId})` : ''}`;
  }
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ? `${e.message} (${e.cause.code})` : e.message;
}

/**
 * `cetate efactura send --tenant SLUG [--wait] FILE...` (ANAF upload through `invoicing-api`): per file,
 * import, send and optionally wait for a final state; prints `FILE  STATE  detail`.
 * @returns 0 when every file was queued (with `--wait`: accepted); 1 otherwise or when the API
 * is not reachable. @throws UsageError on a bad command line.
 */
export async function runSend(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { tenant: { type: 'string' }, wait: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    io.out(SEND_USAGE);
    return EXIT.OK;
  }
  const tenant = values.tenant;
  if (!tenant) throw new UsageError('efactura send needs --tenant SLUG');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenant)) throw new UsageError(`--tenant must be a tenant slug (lowercase letters, digits, -), got "${tenant}"`);
  const timeoutS = values.timeout === undefined ? 180 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  if (files.length === 0) throw new UsageError('efactura send needs at least one FILE');

  const cfg = sendConfigFromEnv(env);
  if (!(await apiReachable(cfg.apiUrl))) {
    io.err(`invoicing-api is not reachable at ${cfg.apiUrl}: start the platform with npm start (or set INVOICING_API_URL)`);
    return EXIT.FAILED;
  }
  const creds = new ClientCredentialsTokenSource({ tokenUrl: `${cfg.keycloakUrl}/realms/${encodeURIComponent(tenant)}/protocol/openid-connect/token`, clientId: cfg.clientId, clientSecret: cfg.clientSecret });
  try {
    await creds.getToken();
  } catch (err) {
    io.err(`cannot get a token for tenant ${tenant} from ${cfg.keycloakUrl}: ${describeError(err)}`);
    io.err('check the tenant slug (= realm), KEYCLOAK_URL and CETATE_CLIENT_ID/CETATE_CLIENT_SECRET; start the platform with npm start');
    return EXIT.FAILED;
  }
  const api = new InvoicingApiClient(cfg.apiUrl, () => creds.getToken());
  const width = Math.max(...files.map((f) => f.length));
  let bad = 0;
  for (const file of files) {
    const [state, detail] = await sendOne(api, file, values.wait ? timeoutS * 1000 : undefined);
    const ok = values.wait ? state === 'accepted' : state === 'queued';
    if (!ok) bad++;
    io.out(`${file.padEnd(width)}  ${state.padEnd(9)}  ${detail}`);
  }
  return bad === 0 ? EXIT.OK : EXIT.FAILED;
}

async function sendOne(api: InvoicingApiClient, file: string, waitMs: number | undefined): Promise<[string, string]> {
  let xml: Buffer;
  try {
    xml = await readFile(file);
  } catch (err) {
    return ['unreadable', (err as Error).message];
  }
  try {
    const inv = await api.importXml(xml);
    const sent = await api.send(inv.id);
    if (waitMs === undefined) return [sent.queued ? 'queued' : sent.state, `id=${inv.id} number=${inv.number}`];
    const done = await api.waitForFinal(inv.id, { timeoutMs: waitMs });
    const s = done.efactura.state;
    if (!isSettled(s)) return [s, `no final state within ${waitMs / 1000} s (id=${inv.id})`];
    if (s === 'accepted') return [s, `index_incarcare=${done.efactura.indexIncarcare ?? '?'} id_descarcare=${done.efactura.idDescarcare ?? '?'}`];
    if (s === 'invalid' || s === 'rejected') return [s, done.efactura.fatal.join(',') || (done.efactura.reason ?? '')];
    return [s, done.efactura.reason ?? ''];
  } catch (err) {
    return ['error', describeError(err)];
  }
}
