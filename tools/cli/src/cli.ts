import { EXIT, UsageError, processIo, type CliIo } from './cli-io.js';
import { DLQ_USAGE } from './dlq.command.js';
import { SEND_USAGE } from './efactura-send.command.js';
import { STATUS_USAGE } from './efactura-status.command.js';
import { VALIDATE_USAGE } from './efactura-validate.command.js';
import { RULES_USAGE } from './rules.command.js';
import { TENANT_USAGE } from './tenant.command.js';
import { SECRETS_USAGE } from './secrets.command.js';
import { OCR_EXTRACT_USAGE } from './ocr-extract.command.js';
import { INBOX_SYNC_USAGE } from './efactura-inbox.command.js';
import { PURCHASES_USAGE } from './purchases.command.js';

/** Top-level usage of `cetate`. */
export const CLI_USAGE = `usage: npm run cetate -- <command> [options]   (or: tsx tools/cli/src/main.ts <command>)

commands:
  efactura validate [--json] FILE...             validate UBL files locally (EN 16931 + CIUS-RO 1.0.9)
  efactura send --tenant SLUG [--wait] FILE...   import and send UBL files through invoicing-api
  efactura status --tenant SLUG [--json]         e-Factura states, outstanding uploads, ANAF quota use today
  efactura inbox sync --tenant SLUG [--wait]     read the SPV inbox now: supplier invoices into purchases
  purchases list --tenant SLUG [--json]          purchase invoices (received through e-Factura or scanned)
  dlq list <tag> [--json]                        show a dead-letter queue
  dlq replay <tag> (--id ID...|--all)            replay dead-lettered messages
  rules [--json]                                 list the validator's rules
  ocr extract [--json] FILE                      read a supplier invoice (PDF/PNG/JPEG/TIFF) into fields
  tenant create|list|show|suspend|resume|migrate|export|delete ...
                                                 tenant lifecycle (provisioning saga)
  secrets status|rotate-master-key               local keyring: master key usage and rotation

<command> --help shows the options of a command.
exit codes: 0 ok, 1 some document invalid/failed (or a service unreachable), 2 usage error`;

const EFACTURA_USAGE = `usage: cetate efactura <validate|send|status|inbox> ...\n\n${VALIDATE_USAGE}\n\n${SEND_USAGE}\n\n${STATUS_USAGE}\n\n${INBOX_SYNC_USAGE}`;

const isHelp = (a: string | undefined) => a === '--help' || a === '-h' || a === 'help';

/**
 * Runs one `cetate` command line (without the program name) and returns its exit code:
 * 0 ok, 1 some document invalid/failed or a service unreachable, 2 usage error (message + usage on stderr).
 * Command modules are imported lazily so `efactura validate` does not load amqplib or fetch clients.
 */
export async function runCli(argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  let usage = CLI_USAGE;
  try {
    if (cmd === undefined) throw new UsageError('no command given');
    if (isHelp(cmd)) {
      io.out(CLI_USAGE);
      return EXIT.OK;
    }
    switch (cmd) {
      case 'efactura': {
        usage = EFACTURA_USAGE;
        if (isHelp(sub)) {
          io.out(EFACTURA_USAGE);
          return EXIT.OK;
        }
        if (sub === 'validate') {
          usage = VALIDATE_USAGE;
          return await (await import('./efactura-validate.command.js')).runValidate(rest, io);
        }
        if (sub === 'send') {
          usage = SEND_USAGE;
          return await (await import('./efactura-send.command.js')).runSend(rest, io, env);
        }
        if (sub === 'status') {
          usage = STATUS_USAGE;
          return await (await import('./efactura-status.command.js')).runStatus(rest, io, env);
        }
        if (sub === 'inbox') {
          usage = INBOX_SYNC_USAGE;
          const [what, ...opts] = rest;
          if (isHelp(what)) {
            io.out(INBOX_SYNC_USAGE);
            return EXIT.OK;
          }
          if (what !== 'sync') throw new UsageError(what === undefined ? 'efactura inbox needs a sub-command (sync)' : `unknown efactura inbox sub-command "${what}"`);
          return await (await import('./efactura-inbox.command.js')).runInboxSync(opts, io, env);
        }
        throw new UsageError(sub === undefined ? 'efactura needs a sub-command' : `unknown efactura sub-command "${sub}"`);
      }
      case 'dlq':
        usage = DLQ_USAGE;
        return await (await import('./dlq.command.js')).runDlq(argv.slice(1), io, env);
      case 'tenant':
        usage = TENANT_USAGE;
        return await (await import('./tenant.command.js')).runTenant(argv.slice(1), io, env);
      case 'secrets':
        usage = SECRETS_USAGE;
        return await (await import('./secrets.command.js')).runSecrets(argv.slice(1), io, env);
      case 'ocr':
        usage = OCR_EXTRACT_USAGE;
        if (isHelp(sub)) {
          io.out(OCR_EXTRACT_USAGE);
          return EXIT.OK;
        }
        if (sub !== 'extract') throw new UsageError(sub === undefined ? 'ocr needs a sub-command (extract)' : `unknown ocr sub-command "${sub}"`);
        return await (await import('./ocr-extract.command.js')).runOcrExtract(rest, io);
      case 'purchases':
        usage = PURCHASES_USAGE;
        return await (await import('./purchases.command.js')).runPurchases(argv.slice(1), io, env);
      case 'rules':
        usage = RULES_USAGE;
        return (await import('./rules.command.js')).runRules(argv.slice(1), io);
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`cetate: ${err.message}\n\n${usage}`);
      return EXIT.USAGE;
    }
    throw err;
  }
}
