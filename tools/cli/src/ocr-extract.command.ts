import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ExtractedInvoice, ExtractedVatBreakdown, Field } from '@cetate/documents-extraction';
import { DocumentReadError, extractInvoiceFromDocument, hasInvoiceFields, type DocumentExtraction } from '@cetate/documents-ocr';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Exit codes of `cetate ocr extract`: 0 invoice fields found, 1 none found (or the engine failed), 2 bad input or usage. */
export const OCR_EXTRACT_EXIT = { FOUND: EXIT.OK, NOTHING_FOUND: EXIT.FAILED, BAD_INPUT: EXIT.USAGE } as const;

/** Usage of `cetate ocr extract`. */
export const OCR_EXTRACT_USAGE = `usage: cetate ocr extract [--json] [--max-pages N] [--concurrency C] [--languages L] FILE

Reads a supplier invoice (PDF with or without text layer, PNG, JPEG, TIFF; at most 20 MiB) and prints
the fields found, through extractInvoiceFromDocument (@cetate/documents-ocr), the function the OCR
worker calls: PDF text layers are read directly, scanned pages with Tesseract.

  --json            one JSON object: supplier {name, cif, tradeRegister}, buyer {name, cif, tradeRegister},
                    series, number, issueDate, dueDate (ISO), currency, netTotal, vatTotal, payableTotal
                    (decimal strings), iban: each {value, confidence 0..1, page, bbox {x0,y0,x1,y1}} or null;
                    vat: [{rate, base, amount, confidence, page, bbox}]; warnings: [text];
                    document: {type, source, pageCount, pageSources, readMs, extractMs}.
                    A document that cannot be read prints {"file","error":{"code","message"}}.
  --max-pages N     refuse documents of more than N pages (default 50)
  --concurrency C   scanned pages read at the same time (default 2)
  --languages L     Tesseract languages joined by + (default ron+eng)
  -h, --help        this text

exit: 0 fields found, 1 no invoice field found (or the OCR engine is missing / timed out),
      2 bad input (unreadable file, DOCUMENT_* error: unsupported type, encrypted, corrupt, empty,
      too many pages, too large) or usage error`;

/** The JSON printed by `--json`: every acceptance field present, `null` when not found. */
export interface OcrExtractJson {
  file: string;
  supplier: { name: Field | null; cif: Field | null; tradeRegister: Field | null };
  buyer: { name: Field | null; cif: Field | null; tradeRegister: Field | null };
  series: Field | null;
  number: Field | null;
  issueDate: Field | null;
  dueDate: Field | null;
  currency: Field | null;
  netTotal: Field | null;
  vatTotal: Field | null;
  payableTotal: Field | null;
  vat: ExtractedVatBreakdown[];
  iban: Field | null;
  warnings: string[];
  document: { type: string; source: string; pageCount: number; pageSources: string[]; readMs: number; extractMs: number };
}

/** The `--json` object of one extraction (absent fields as `null`, times rounded to 0.1 ms). */
export function extractionJson(file: string, r: DocumentExtraction): OcrExtractJson {
  const inv: ExtractedInvoice = r.invoice;
  const party = (p: ExtractedInvoice['supplier']) => ({ name: p.name ?? null, cif: p.cif ?? null, tradeRegister: p.tradeRegister ?? null });
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    file,
    supplier: party(inv.supplier),
    buyer: party(inv.buyer),
    series: inv.series ?? null,
    number: inv.number ?? null,
    issueDate: inv.issueDate ?? null,
    dueDate: inv.dueDate ?? null,
    currency: inv.currency ?? null,
    netTotal: inv.netTotal ?? null,
    vatTotal: inv.vatTotal ?? null,
    payableTotal: inv.payableTotal ?? null,
    vat: inv.vat,
    iban: inv.iban ?? null,
    warnings: inv.warnings,
    document: {
      type: r.document.type,
      source: r.document.source,
      pageCount: r.document.pageCount,
      pageSources: r.document.pageSources,
      readMs: round(r.timings.readMs),
      extractMs: round(r.timings.extractMs),
    },
  };
}

/** Readable form: a header line, one line per field (value, confidence, page), VAT lines, warnings. */
export function formatExtraction(j: OcrExtractJson): string[] {
  const d = j.document;
  const out = [`${j.file}: ${d.type}, ${d.source}, ${d.pageCount} page(s), read in ${(d.readMs / 1000).toFixed(2)} s`];
  const row = (name: string, f: Field | null) =>
    out.push(`  ${name.padEnd(22)} ${f ? `${f.value.padEnd(34)} ${f.confidence.toFixed(2)}  p${f.page}` : '-'}`);
  row('supplier.name', j.supplier.name);
  row('supplier.cif', j.supplier.cif);
  row('supplier.tradeRegister', j.supplier.tradeRegister);
  row('buyer.name', j.buyer.name);
  row('buyer.cif', j.buyer.cif);
  row('buyer.tradeRegister', j.buyer.tradeRegister);
  row('series', j.series);
  row('number', j.number);
  row('issueDate', j.issueDate);
  row('dueDate', j.dueDate);
  row('currency', j.currency);
  row('netTotal', j.netTotal);
  row('vatTotal', j.vatTotal);
  row('payableTotal', j.payableTotal);
  for (const v of j.vat) out.push(`  ${`vat ${v.rate}%`.padEnd(22)} ${`base ${v.base}, VAT ${v.amount}`.padEnd(34)} ${v.confidence.toFixed(2)}  p${v.page}`);
  if (!j.vat.length) out.push(`  ${'vat'.padEnd(22)} -`);
  row('iban', j.iban);
  for (const w of j.warnings) out.push(`  warning: ${w}`);
  return out;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--${name} must be an integer 1..1000`);
  return n;
}

/**
 * `cetate ocr extract [--json] FILE`: reads one document and prints its invoice fields.
 * @returns {@link OCR_EXTRACT_EXIT}
 * @throws UsageError on unknown options or not exactly one FILE.
 */
export async function runOcrExtract(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'max-pages': { type: 'string' },
        concurrency: { type: 'string' },
        languages: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(OCR_EXTRACT_USAGE);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError(`ocr extract needs exactly one FILE (got ${positionals.length})`);
  const file = positionals[0]!;
  const maxPages = positiveInt('max-pages', values['max-pages']);
  const concurrency = positiveInt('concurrency', values.concurrency);
  const fail = (code: string, message: string, exit: number) => {
    if (values.json) io.out(JSON.stringify({ file, error: { code, message } }));
    io.err(`cetate: ${file}: ${code}: ${message}`);
    return exit;
  };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail('FILE_UNREADABLE', e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message, OCR_EXTRACT_EXIT.BAD_INPUT);
  }
  let r: DocumentExtraction;
  try {
    r = await extractInvoiceFromDocument(bytes, {
      ...(maxPages ? { maxPages } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(values.languages ? { ocrLanguages: values.languages } : {}),
      onPage: values.json ? undefined : (p) => io.err(`page ${p.page}/${p.pages}: ${p.source}, ${(p.ms / 1000).toFixed(2)} s`),
    });
  } catch (err) {
    if (err instanceof DocumentReadError) return fail(err.code, err.message, err.documentFault ? OCR_EXTRACT_EXIT.BAD_INPUT : OCR_EXTRACT_EXIT.NOTHING_FOUND);
    throw err;
  }
  const j = extractionJson(file, r);
  if (values.json) io.out(JSON.stringify(j));
  else for (const l of formatExtraction(j)) io.out(l);
  if (!hasInvoiceFields(r.invoice)) {
    io.err(`cetate: ${file}: no invoice field found`);
    return OCR_EXTRACT_EXIT.NOTHING_FOUND;
  }
  return OCR_EXTRACT_EXIT.FOUND;
}
