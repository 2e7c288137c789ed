/**
 * `cetate` command line entry point (`npm run cetate -- <command>`); see {@link runCli} for the
 * commands and exit codes. Unexpected errors (bugs) print their stack and exit 1. A closed stdout
 * (`cetate rules | head`) ends the process quietly.
 */
import { runCli } from './cli.js';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`cetate: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
