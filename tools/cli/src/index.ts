/** `@cetate/cli`: the `cetate` command line, importable for embedding and tests. */
export { runCli, CLI_USAGE } from './cli.js';
export { EXIT, UsageError, processIo, type CliIo } from './cli-io.js';
export { verdictOf, verdictOfFile, formatVerdict, type FileVerdict } from './efactura-validate.command.js';
export { sendConfigFromEnv, type SendConfig } from './efactura-send.command.js';
