import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UblParseError, validateUbl, type Finding } from '@cetate/invoicing-domain';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/**
 * Exit codes of `cetate efactura validate` (those of {@link EXIT}, read for documents): 0 every file valid, 1 some
 * file invalid (a fatal rule failed), 2 some file not a UBL 2.1 Invoice/CreditNote or not readable — or a usage error.
 */
export const VALIDATE_EXIT = { VALID: EXIT.OK, INVALID: EXIT.FAILED, NOT_UBL: 2 } as const;

/** Usage of `cetate efactura validate`. */
export const VALIDATE_USAGE = `usage: cetate efactura validate [--json] FILE...

Validates UBL 2.1 Invoice/CreditNote files locally with the EN 16931 1.3.8 + CIUS-RO 1.0.9 rules
(the rule set ANAF applies; the same validateUbl as POST /v1/validate and the worker), without
sending anything. Each finding is printed as
  LINE:COL  SEVERITY  RULE  BT-..  what to change (Romanian, then English)
            at XPATH

  --json     one JSON object per line and file:
             {"file","valid","documentType","fatal":[rule ids],"warnings":[rule ids],
              "findings":[{"ruleId","flag","terms","xpath","line","column","en","ro","message","path"}]}
             (fatal/warnings: sorted distinct ids); a file that is not UBL has valid false,
             fatal [its code] and "error": {"code","message","line"?,"column"?} with code
             UBL_MALFORMED, UBL_UNKNOWN_ROOT, XML_TOO_LARGE, XML_DTD_FORBIDDEN, XML_TOO_DEEP,
             XML_TOO_MANY_ELEMENTS, XML_ENCODING_UNSUPPORTED, or FILE_UNREADABLE
  -h, --help this text

exit: 0 every file valid, 1 some file invalid, 2 some file not UBL or unreadable (or usage error)`;

/** Why a file got no rule verdict: the parser's code (`UblParseError`) or `FILE_UNREADABLE`. */
export interface VerdictError {
  code: string;
  message: string;
  /** 1-based position where the parser stopped, when it says. */
  line?: number;
  column?: number;
}

/** The verdict for one file, as printed by `--json` (one line each): the report of `validateUbl` with its findings. */
export interface FileVerdict {
  file: string;
  valid: boolean;
  documentType: 'Invoice' | 'CreditNote' | null;
  /** sorted distinct ids of failed fatal rules, or the parser's code (`UBL_MALFORMED`, ...) for a file that is not UBL. */
  fatal: string[];
  /** sorted distinct ids of failed warning rules. */
  warnings: string[];
  /** every failed rule occurrence, in evaluation order (`ValidationMessage` of `@cetate/invoicing-domain`). */
  findings: Finding[];
  /** set when the file is not UBL (the parser's code) or could not be read (`FILE_UNREADABLE`). */
  error?: VerdictError;
}

/**
 * Validates one file's bytes with `validateUbl` (EN 16931 1.3.8 + CIUS-RO 1.0.9). Never throws for
 * document problems: a `UblParseError` (any code) becomes an invalid verdict whose `fatal` is its code and whose
 * `error` carries its message and position.
 * @throws only unexpected errors (bugs), which are not document verdicts.
 */
export function verdictOf(file: string, xml: Uint8Array | string): FileVerdict {
  try {
    const r = validateUbl(xml);
    return { file, valid: r.valid, documentType: r.documentType, fatal: r.fatal, warnings: r.warnings, findings: r.messages };
  } catch (err) {
    if (err instanceof UblParseError) {
      const error: VerdictError = { code: err.code, message: err.message };
      if (err.line !== undefined) error.line = err.line;
      if (err.column !== undefined) error.column = err.column;
      return { file, valid: false, documentType: null, fatal: [err.code], warnings: [], findings: [], error };
    }
    throw err;
  }
}

/** Reads and validates one file; an unreadable file gives an invalid verdict with `error.code` `FILE_UNREADABLE`. */
export async function verdictOfFile(file: string): Promise<FileVerdict> {
  let xml: Buffer;
  try {
    xml = await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    return { file, valid: false, documentType: null, fatal: [], warnings: [], findings: [], error: { code: 'FILE_UNREADABLE', message: `cannot read ${file}: ${why}` } };
  }
  return verdictOf(file, xml);
}

/** Exit code of one verdict: {@link VALIDATE_EXIT}. */
export function exitOf(v: FileVerdict): number {
  return v.error ? VALIDATE_EXIT.NOT_UBL : v.valid ? VALIDATE_EXIT.VALID : VALIDATE_EXIT.INVALID;
}

const at = (line?: number, column?: number) => (line === undefined ? '-' : `${line}:${column ?? '-'}`);

/**
 * One finding in readable form: `LINE:COL  SEVERITY  RULE  BT-..  <ro>`, then the English text when it differs, then
 * `at <xpath>`; continuation lines are indented under the text. `-` stands for an unknown position or no terms.
 */
export function formatFinding(f: Finding): string[] {
  const head = `  ${at(f.line, f.column).padEnd(9)} ${f.flag.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.terms.length ? f.terms.join(',') : '-'}  `;
  const indent = ' '.repeat(12);
  const lines = [`${head}${f.ro}`];
  if (f.en !== f.ro) lines.push(`${indent}${f.en}`);
  lines.push(`${indent}at ${f.xpath}`);
  return lines;
}

/** Readable form of a verdict: a status line, then every finding ({@link formatFinding}), fatal and warnings alike. */
export function formatVerdict(v: FileVerdict): string[] {
  if (v.error?.code === 'FILE_UNREADABLE') return [`UNREADABLE  ${v.error.message}`];
  if (v.error) return [`NOT UBL     ${v.file}  ${v.error.code} at ${at(v.error.line, v.error.column)}: ${v.error.message}`];
  const warn = v.warnings.length ? `  warnings: ${v.warnings.join(', ')}` : '';
  const status = v.valid ? `VALID       ${v.file} (${v.documentType})${warn}` : `INVALID     ${v.file} (${v.documentType})  fatal: ${v.fatal.join(', ')}${warn}`;
  return [status, ...v.findings.flatMap(formatFinding)];
}

/**
 * `cetate efactura validate [--json] FILE...`: validates each file, prints a verdict per file.
 * @returns {@link VALIDATE_EXIT}: the worst over the files (2 not UBL / unreadable > 1 invalid > 0 valid).
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
  const count = { valid: 0, invalid: 0, notUbl: 0 };
  let code: number = VALIDATE_EXIT.VALID;
  for (const file of files) {
    const v = await verdictOfFile(file);
    const c = exitOf(v);
    code = Math.max(code, c);
    if (c === VALIDATE_EXIT.VALID) count.valid++;
    else if (c === VALIDATE_EXIT.INVALID) count.invalid++;
    else count.notUbl++;
    if (parsed.values.json) {
      io.out(JSON.stringify(v));
      if (v.error?.code === 'FILE_UNREADABLE') io.err(v.error.message);
    } else {
      for (const l of formatVerdict(v)) (v.error?.code === 'FILE_UNREADABLE' ? io.err : io.out)(l);
    }
  }
  if (!parsed.values.json && files.length > 1) {
    io.out(`${files.length} file(s): ${count.valid} valid, ${count.invalid} invalid, ${count.notUbl} not UBL or unreadable`);
  }
  return code;
}
