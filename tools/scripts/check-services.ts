/**
 * Checks that the real services the project needs answer, for `tools/scripts/setup.sh`.
 *
 * - PostgreSQL at `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`): connects with
 *   `pg` and runs `select 1` (so authentication is checked too, not only the port).
 * - RabbitMQ at `AMQP_URL` (default `amqp://guest:guest@127.0.0.1:5672`): TCP connect, then a full AMQP
 *   0-9-1 handshake with `amqplib` (so credentials and vhost are checked too).
 *
 * Run with Node >= 22.18 (type stripping), no tsx needed: `node tools/scripts/check-services.ts`.
 * Prints one line per failing service on stderr. Exit code is a bit mask: 0 all answer, 1 PostgreSQL
 * down, 2 RabbitMQ down, 3 both; a failure reason of `refused` (nothing listens on the port) is written
 * as `refused:<service>` on stdout so the caller can decide whether starting the local server helps.
 */
import net from 'node:net';
import pg from 'pg';
import amqp from 'amqplib';

const TIMEOUT_MS = 3000;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** URL without the password, for messages. */
function redact(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return raw;
  }
}

/** Resolves when a TCP connection to host:port opens; rejects with the socket error otherwise. */
function tcpProbe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.end();
      resolve();
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

type Outcome = { ok: true } | { ok: false; refused: boolean; reason: string };

function failure(err: unknown): Outcome {
  const e = err as NodeJS.ErrnoException;
  return { ok: false, refused: e.code === 'ECONNREFUSED', reason: e.message || String(err) };
}

async function checkPostgres(): Promise<Outcome> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (err) {
    return failure(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRabbit(): Promise<Outcome> {
  const u = new URL(amqpUrl);
  try {
    await tcpProbe(u.hostname, Number(u.port || (u.protocol === 'amqps:' ? 5671 : 5672)));
  } catch (err) {
    return failure(err);
  }
  try {
    const conn = await amqp.connect(amqpUrl, { timeout: TIMEOUT_MS });
    await conn.close();
    return { ok: true };
  } catch (err) {
    return { ok: false, refused: false, reason: `AMQP handshake failed: ${(err as Error).message}` };
  }
}

const [pgResult, amqpResult] = await Promise.all([checkPostgres(), checkRabbit()]);
let code = 0;
if (!pgResult.ok) {
  code |= 1;
  process.stderr.write(`PostgreSQL at ${redact(databaseUrl)} does not answer: ${pgResult.reason}\n`);
  if (pgResult.refused) process.stdout.write('refused:postgres\n');
}
if (!amqpResult.ok) {
  code |= 2;
  process.stderr.write(`RabbitMQ at ${redact(amqpUrl)} does not answer: ${amqpResult.reason}\n`);
  if (amqpResult.refused) process.stdout.write('refused:rabbitmq\n');
}
process.exit(code);
