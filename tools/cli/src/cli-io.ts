/** Where a command writes; the process streams by default, captured in tests. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Writes to `process.stdout` / `process.stderr`, one line per call. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Exit codes of every `cetate` command. */
export const EXIT = {
  /** everything went as asked (every document valid / accepted). */
  OK: 0,
  /** at least one document is invalid, failed or unreadable, or a service could not be reached. */
  FAILED: 1,
  /** the command line is wrong (unknown command or option, missing argument). */
  USAGE: 2,
} as const;

/** Thrown by argument parsing; `runCli` prints `message` and the command's usage, then exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'CLI_USAGE';
}
