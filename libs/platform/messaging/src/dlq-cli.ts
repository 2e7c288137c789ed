import { AmqpConnection } from './connection.js';
import { listDlq, replayDlq } from './dlq.js';
import type { Topology } from './topology.js';

/** Where the CLI writes; defaults to the process streams. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = [
  'usage:',
  '  dlq list <tag|queue> [--json]',
  '  dlq replay <tag|queue> (--id <message-id> ...|--all)',
  'environment: AMQP_URL (with vhost), default amqp://guest:guest@127.0.0.1:5672',
].join('\n');

/**
 * DLQ command line, mounted by the project CLI as `cetate dlq ...`.
 * - `dlq list <tag> [--json]`: table (or JSON array) of the dead-lettered messages, nothing removed;
 * - `dlq replay <tag> --id ID [--id ID ...] | --all`: moves them back to `worker.<tag>` with attempt reset.
 * `argv` may start with `dlq` or directly with the sub-command.
 * @param options.url AMQP URL (default `AMQP_URL`); options.topology resolves event consumer queue names.
 * @returns process exit code: 0 ok, 1 failure, 2 usage error.
 */
export async function runDlqCli(
  argv: string[],
  options: { url?: string; topology?: Topology; io?: CliIo } = {},
): Promise<number> {
  const io: CliIo = options.io ?? { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };
  const args = argv[0] === 'dlq' ? argv.slice(1) : [...argv];
  const [cmd, target, ...rest] = args;
  if (!cmd || !target || (cmd !== 'list' && cmd !== 'replay')) {
    io.err(USAGE);
    return 2;
  }
  const json = rest.includes('--json');
  const all = rest.includes('--all');
  const ids: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--id') {
      const v = rest[++i];
      if (!v) {
        io.err('--id needs a value\n' + USAGE);
        return 2;
      }
      ids.push(v);
    } else if (rest[i] !== '--json' && rest[i] !== '--all') {
      io.err(`unknown option ${rest[i]}\n` + USAGE);
      return 2;
    }
  }
  if (cmd === 'replay' && !all && ids.length === 0) {
    io.err('replay needs --id <message-id> (repeatable) or --all\n' + USAGE);
    return 2;
  }
  const url = options.url ?? process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const conn = new AmqpConnection({ url, name: 'cetate-dlq-cli', topology: options.topology });
  try {
    await conn.connect(10_000);
    if (cmd === 'list') {
      const msgs = await listDlq(conn, target);
      if (json) {
        io.out(JSON.stringify(msgs, null, 2));
      } else if (msgs.length === 0) {
        io.out(`DLQ of ${target} is empty`);
      } else {
        io.out(`${msgs.length} message(s) in the DLQ of ${target}:`);
        for (const m of msgs) {
          io.out(
            `- ${m.messageId}  ${m.messageType ?? '?'} v${m.schemaVersion ?? '?'}  tenant=${m.tenantId ?? '?'}  attempt=${m.attempt ?? '?'}  ` +
              `${m.errorCode ?? 'NO_CODE'}: ${m.errorMessage ?? ''}  at ${m.deadLetteredAt ?? '?'}`,
          );
        }
      }
    } else {
      const r = await replayDlq(conn, target, all ? { all: true } : { messageIds: ids });
      if (json) io.out(JSON.stringify(r, null, 2));
      else {
        io.out(`replayed ${r.replayed.length} message(s) to ${target}; ${r.remaining} left in the DLQ`);
        for (const id of r.replayed) io.out(`  replayed ${id}`);
        for (const id of r.notFound) io.err(`  not found in the DLQ: ${id}`);
      }
      if (r.notFound.length > 0) return 1;
    }
    return 0;
  } catch (err) {
    io.err(`dlq ${cmd} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await conn.close();
  }
}
