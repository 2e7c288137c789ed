import { EXIT, type CliIo } from './cli-io.js';

/** Usage of `cetate dlq`. */
export const DLQ_USAGE = `usage:
  cetate dlq list <tag|queue> [--json]
  cetate dlq replay <tag|queue> (--id MESSAGE_ID ...|--all)

Dead-letter queues of the e-Factura topology (e.g. tag anaf.efactura.submit, queue invoicing-api.events).
  list     shows the dead-lettered messages (error code, attempt, tenant); nothing is removed
  replay   sends them back to their work queue with the attempt count reset
environment: AMQP_URL (with vhost), default amqp://guest:guest@127.0.0.1:5672
exit: 0 ok, 1 broker error or a --id not found, 2 usage error`;

/**
 * `cetate dlq ...`: mounts `runDlqCli` of `@cetate/platform-messaging` on the e-Factura topology
 * (`efacturaTopology()`), so event consumer queues resolve by name. Loaded lazily: the other commands
 * do not pay for amqplib.
 * @returns the DLQ CLI's exit code (0 ok, 1 failure, 2 usage).
 */
export async function runDlq(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    (args.length === 0 ? io.err : io.out)(DLQ_USAGE);
    return args.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  const [{ runDlqCli }, { efacturaTopology }] = await Promise.all([import('@cetate/platform-messaging'), import('@cetate/invoicing-data-access')]);
  return runDlqCli(args, {
    url: env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672',
    topology: efacturaTopology(),
    io,
  });
}
