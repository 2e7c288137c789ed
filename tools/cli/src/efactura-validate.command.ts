import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UblParseError, validateUbl, type ValidationMessage } from '@cetate/invoicing-domain';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate efactura validate`. */
export const VALIDATE_USAGE = `usage: cetate efactura validate [--json] FILE...

Validates UBL 2.1 Invoice/CreditNote files locally with the EN 16931 1.3.8 + CIUS-RO 1.0.9 rules
(the rule set ANAF applies), without sending anything.

  --json     one JSON object per line and file:
             {"file","valid","documentType","fatal":[rule ids],"warnings":[rule ids],"messages":[...]}
             (fatal/warnings: sorted distinct ids; a file that is not well-formed XML has
             fatal ["UBL_MALFORMED"], one that is not an Invoice/CreditNote ["UBL_UNKNOWN_ROOT"];
             an unreadable file has valid false, empty rule lists and "error")
  -h, --help this text

exit: 0 every file valid, 1 some file invalid or unreadable, 2 usage error`;

/** The verdict for one file, as printed by `--json` (one line each). */
export interface FileVerdict {
  file: string;
  valid: boolean;
  documentType: 'Invoice' | 'CreditNote' | null;
  /** sorted distinct ids of failed fatal rules, or the parser's code (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`). */
  fatal: string[];
  /** sorted distinct ids of failed warning rules. */
  warnings: string[];
  messages: Array<Pick<ValidationMessage, 'ruleId' | 'flag' | 'message' | 'path'>>;
  /** set only when the file could not be read (`FILE_UNREADABLE`). */
  error?: { code: 'FILE_UNREADABLE'; message: string };
}

/**
 * Validates one file's bytes with `validateUbl` (EN 16931 1.3.8 + CIUS-RO 1.0.9). Never throws for
 * document problems: a `UblParseError` becomes an invalid verdict whose `fatal` is its code.
 * @throws only unexpected errors (bugs), which are not document verdicts.
 */
export function verdictOf(file: string, xml: Uint8Array | string): FileVerdict {
  try {
    const r = validateUbl(xml);
    return { file, valid: r.valid, documentType: r.documentType, fatal: r.fatal, warnings: r.warnings, messages: r.messages };
  } catch (err) {
    if (err instanceof UblParseError) {
      return {
        file,
        valid: false,
        documentType: null,
        fatal: [err.code],
        warnings: [],
        messages: [{ ruleId: err.code, flag: 'fatal', message: err.message }],
      };
    }
    throw err;
  }
}

/** Reads and validates one file; an unreadable file gives an invalid verdict with `error`. */
export async function verdictOfFile(file: string): Promise<FileVerdict> {
  let xml: Buffer;
  try {
    xml = await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    return { file, valid: false, documentType: null, fatal: [], warnings: [], messages: [], error: { code: 'FILE_UNREADABLE', message: `cannot read ${file}: ${why}` } };
  }
  return verdictOf(file, xml);
}

/** Readable form of a verdict: a status line, then the fatal messages (distinct) indented. */
export function formatVerdict(v: FileVerdict): string[] {
  if (v.error) return [`UNREADABLE  ${v.error.message}`];
  const warn = v.warnings.length ? `  warnings: ${v.warnings.join(', ')}` : '';
  if (v.valid) return [`VALID       ${v.file} (${v.documentType})${warn}`];
  const lines = [`INVALID     ${v.file}${v.documentType ? ` (${v.documentType})` : ''}  fatal: ${v.fatal.join(', ')}${warn}`];
  const seen = new Set<string>();
  for (const m of v.messages) {
    if (m.flag !== 'fatal' || seen.has(m.message)) continue;
    seen.add(m.message);
    lines.push(`    ${m.message}${m.path ? `  (at ${m.path})` : ''}`);
  }
  return lines;
}

/**
 * `cetate efactura validate [--json] FILE...`: validates each file, prints a verdict per file.
 * @returns 0 when every file is valid, 1 when one is invalid or unreadable.
 * @throws UsageError on unknown options or no file.
 */
export async function runValidate(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) {
    io.out(VALIDATE_USAGE);
    return EXIT.OK;
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('efactura validate needs at least one FILE');
  let invalid = 0;
  for (const file of files) {
    const v = await verdictOfFile(file);
    if (!v.valid) invalid++;
    if (parsed.values.json) {
      io.out(JSON.stringify(v));
      if (v.error) io.err(v.error.message);
    } else {
      const lines = formatVerdict(v);
      for (const l of lines) (v.error ? io.err : io.out)(l);
    }
  }
  if (!parsed.values.json && files.length > 1) io.out(`${files.length} file(s): ${files.length - invalid} valid, ${invalid} invalid or unreadable`);
  return invalid === 0 ? EXIT.OK : EXIT.FAILED;
}
