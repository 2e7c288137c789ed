import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUblDocument } from '../../ubl/parse-ubl-document.js';
import { text } from '../../ubl/ubl-dom.js';
import { UblParseError } from '../../ubl/ubl-parse-error.js';
import { XML_LIMITS } from '../../xml/index.js';
import { validateUbl, type ValidationReport } from '../validate-ubl.js';
import { HANG_MS, HANG_WALL_MS, timed } from './fuzz-run.js';
import { encodeAs, type InputEncoding } from './mutators.js';

/**
 * Hostile and broken inputs (issue 8): each must give the expected `UblParseError` code (or a report)
 * without hanging (HANG_MS of CPU time), never another exception, and leave the heap as it found it. The heap is measured
 * with V8's gc exposed: "transient" is what the call allocated and had not yet released when it
 * returned, "retained" what is left after a full collection; both are printed.
 */
const conformanceDir = process.env['CONFORMANCE_DIR']
  ? resolve(process.env['CONFORMANCE_DIR'])
  : fileURLToPath(new URL('../../../../../../../shared/conformance/', import.meta.url));
const MiB = 1024 * 1024;

/** Limits of the parser contract (issue 8). */
const CONTRACT_LIMITS = { maxBytes: 10 * MiB, maxDepth: 64, maxElements: 500_000 };

const NS = 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"';
const NS_CBC = 'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';
/** A minimal UBL Invoice root around `body` (rule failures are expected; only parsing matters). */
const invoice = (body: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>\n') =>
  `${prolog}<Invoice ${NS} ${NS_CBC}><cbc:ID>1</cbc:ID>${body}</Invoice>`;

/** The ANAF CIUS-RO example invoice, with a note (BT-22) to carry non-ASCII text. */
const example = readFileSync(join(conformanceDir, 'invoices/ro-anaf/eInvoice_ex.xml'), 'utf8');
const withNote = (note: string) => example.replace('<cbc:Note>some text for invoice note</cbc:Note>', `<cbc:Note>${note}</cbc:Note>`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const heapMiB = () => process.memoryUsage().heapUsed / MiB;

type Result = { report: ValidationReport; error?: undefined } | { report?: undefined; error: unknown };

/**
 * Runs validateUbl once; prints CPU and wall time and the heap use; fails on a hang (HANG_MS of CPU
 * time or HANG_WALL_MS of wall clock, as the fuzz spec) and on memory kept after the call.
 */
function attempt(label: string, input: string | Uint8Array): Result {
  // A long string built by concatenation is a rope; flatten it first so that the copy V8 makes on
  // first read is not counted as the validator's.
  if (typeof input === 'string' && input.length > 100_000) input = Buffer.from(input, 'utf16le').toString('utf16le');
  gc?.();
  const before = heapMiB();
  const { value: result, wallMs, cpuMs } = timed((): Result => {
    try {
      return { report: validateUbl(input) };
    } catch (error) {
      return { error };
    }
  });
  const transient = heapMiB() - before;
  gc?.();
  const retained = heapMiB() - before;
  const what = result.error ? ((result.error as { code?: string }).code ?? String(result.error)) : 'report';
  console.log(
    `${label}: ${what} in ${cpuMs.toFixed(1)} ms CPU (${wallMs.toFixed(1)} ms wall), heap transient ${transient.toFixed(1)} MiB, retained ${retained.toFixed(1)} MiB`,
  );
  expect(cpuMs, `${label} took ${cpuMs.toFixed(0)} ms of CPU`).toBeLessThan(HANG_MS);
  expect(wallMs, `${label} took ${wallMs.toFixed(0)} ms`).toBeLessThan(HANG_WALL_MS);
  if (gc) expect(retained, `${label} left ${retained.toFixed(1)} MiB on the heap after it returned`).toBeLessThan(16);
  return result;
}

/** Expects a UblParseError with `code` (and integer line/column when given). */
function expectCode(label: string, input: string | Uint8Array, code: string): UblParseError {
  const { error, report } = attempt(label, input);
  expect(report, `${label} gave a report, expected ${code}`).toBeUndefined();
  expect(error).toBeInstanceOf(UblParseError);
  const e = error as UblParseError;
  expect(e.code, `${label}: ${e.message}`).toBe(code);
  for (const v of [e.line, e.column]) if (v !== undefined) expect(Number.isInteger(v) && v >= 1).toBe(true);
  return e;
}

/** Expects a report (no exception). */
function expectReport(label: string, input: string | Uint8Array): ValidationReport {
  const { error, report } = attempt(label, input);
  if (error) throw new Error(`${label}: expected a report, got ${String((error as Error).stack ?? error)}`);
  return report as ValidationReport;
}

describe('XML_LIMITS', () => {
  it('are the limits of the contract: 10 MiB, depth 64, 500,000 elements', () => {
    expect({ ...XML_LIMITS }).toEqual(CONTRACT_LIMITS);
  });
});

describe('DTDs and entities', () => {
  it('billion laughs: refused as XML_DTD_FORBIDDEN, nothing expanded', () => {
    const decls = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) decls.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = invoice('<cbc:Note>&lol9;</cbc:Note>', `<?xml version="1.0"?>\n<!DOCTYPE Invoice [\n${decls.join('\n')}\n]>\n`);
    expectCode('billion laughs', xml, 'XML_DTD_FORBIDDEN');
  });

  it('quadratic blowup (one 100 kB entity referenced 10,000 times): XML_DTD_FORBIDDEN', () => {
    const xml = invoice(`<cbc:Note>${'&a;'.repeat(10_000)}</cbc:Note>`, `<!DOCTYPE Invoice [<!ENTITY a "${'x'.repeat(100_000)}">]>\n`);
    expectCode('quadratic blowup', xml, 'XML_DTD_FORBIDDEN');
  });

  it('external entity to a local file: XML_DTD_FORBIDDEN, the file is not read into the result', () => {
    const xml = invoice('<cbc:Note>&xxe;</cbc:Note>', '<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n');
    const e = expectCode('external entity file:///etc/passwd', xml, 'XML_DTD_FORBIDDEN');
    expect(e.message).not.toMatch(/root:/);
  });

  it('parameter entities (internal and external): XML_DTD_FORBIDDEN', () => {
    const internal = invoice('', '<!DOCTYPE Invoice [<!ENTITY % p "<!ENTITY x \'y\'>"> %p;]>\n');
    expectCode('parameter entity', internal, 'XML_DTD_FORBIDDEN');
    const external = invoice('', '<!DOCTYPE Invoice [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n');
    expectCode('external parameter entity', external, 'XML_DTD_FORBIDDEN');
  });

  it('a plain <!DOCTYPE> without declarations: XML_DTD_FORBIDDEN', () => {
    expectCode('empty doctype', invoice('', '<!DOCTYPE Invoice>\n'), 'XML_DTD_FORBIDDEN');
  });

  it('an entity reference without a DTD is an undefined entity: UBL_MALFORMED', () => {
    expectCode('undefined entity', invoice('<cbc:Note>&xxe;</cbc:Note>'), 'UBL_MALFORMED');
    expectCode('undefined entity in an attribute', invoice('<cbc:Note a="&xxe;">x</cbc:Note>'), 'UBL_MALFORMED');
  });

  describe('over HTTP', () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('<!ENTITY leak "fetched">');
    });
    let base = '';
    beforeAll(async () => {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

    it('external entity, external DTD and external parameter entity over http: XML_DTD_FORBIDDEN, no request made', async () => {
      expectCode('external entity http', invoice('<cbc:Note>&xxe;</cbc:Note>', `<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "${base}/xxe">]>\n`), 'XML_DTD_FORBIDDEN');
      expectCode('external DTD http', invoice('<cbc:Note>&leak;</cbc:Note>', `<!DOCTYPE Invoice SYSTEM "${base}/invoice.dtd">\n`), 'XML_DTD_FORBIDDEN');
      expectCode('external parameter entity http', invoice('', `<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "${base}/p"> %p;]>\n`), 'XML_DTD_FORBIDDEN');
      await new Promise((ok) => setTimeout(ok, 200));
      expect(requests).toBe(0);
    });
  });
});

describe('size, depth and element-count limits', () => {
  it('11 MiB of input (text and bytes): XML_TOO_LARGE', () => {
    const xml = invoice(`<cbc:Note>${'a'.repeat(11 * MiB)}</cbc:Note>`);
    expectCode('11 MiB text', xml, 'XML_TOO_LARGE');
    expectCode('11 MiB bytes', Buffer.from(xml), 'XML_TOO_LARGE');
  });

  it('the byte limit counts bytes: exactly 10 MiB passes the limit, one byte more does not; 5.5 M chars of 2-byte UTF-8 are over', () => {
    const head = invoice('');
    const exact = head + `<!--${'p'.repeat(CONTRACT_LIMITS.maxBytes - head.length - 7)}-->`;
    expect(Buffer.byteLength(exact)).toBe(CONTRACT_LIMITS.maxBytes);
    expectReport('exactly 10 MiB', exact);
    expectCode('10 MiB + 1 byte', Buffer.from(exact + ' '), 'XML_TOO_LARGE');
    const wide = invoice(`<cbc:Note>${'ș'.repeat(5.5 * 1e6)}</cbc:Note>`);
    expect(wide.length).toBeLessThan(CONTRACT_LIMITS.maxBytes);
    expectCode('5.5 M two-byte chars as text', wide, 'XML_TOO_LARGE');
  });

  it('10,000 nested elements: XML_TOO_DEEP, with the position of the first element too deep', () => {
    const xml = invoice(`${'<cbc:Note>'.repeat(10_000)}${'</cbc:Note>'.repeat(10_000)}`);
    const e = expectCode('10,000 deep', xml, 'XML_TOO_DEEP');
    expect(e.line).toBe(2);
  });

  it('depth 64 (the root counts 1) is accepted, 65 is XML_TOO_DEEP; an unclosed 10,000-deep document too', () => {
    const nest = (n: number) => `${'<cbc:X>'.repeat(n)}${'</cbc:X>'.repeat(n)}`;
    expectReport('depth 64', invoice(nest(CONTRACT_LIMITS.maxDepth - 1)));
    expectCode('depth 65', invoice(nest(CONTRACT_LIMITS.maxDepth)), 'XML_TOO_DEEP');
    expectCode('10,000 deep, never closed', `<Invoice ${NS}>${'<a>'.repeat(10_000)}`, 'XML_TOO_DEEP');
  });

  it('600,000 empty elements: XML_TOO_MANY_ELEMENTS', () => {
    expectCode('600,000 elements', invoice('<a/>'.repeat(600_000)), 'XML_TOO_MANY_ELEMENTS');
  });

  it('500,000 elements (root and cbc:ID included) are accepted, 500,001 are not', () => {
    const n = CONTRACT_LIMITS.maxElements - 2;
    expectReport('500,000 elements', invoice('<a/>'.repeat(n)));
    expectCode('500,001 elements', invoice('<a/>'.repeat(n + 1)), 'XML_TOO_MANY_ELEMENTS');
  });

  it('a 1 MB attribute and a 1 MB text: a report, the same verdict as without them', () => {
    const plain = expectReport('example as is', example);
    const big = 'ș'.repeat(500_000); // 1 MB in UTF-8
    const attr = expectReport('1 MB attribute', example.replace('<cbc:Note>', `<cbc:Note foo="${big}">`));
    expect([attr.fatal, attr.warnings]).toEqual([plain.fatal, plain.warnings]);
    const note = expectReport('1 MB note', withNote(big));
    expect(note.documentType).toBe('Invoice');
  });

  it('100,000 attributes on one element and a 1 MB element name: a verdict, no hang', () => {
    const attrs = Array.from({ length: 100_000 }, (_, i) => ` a${i}="${i}"`).join('');
    expectReport('100,000 attributes', example.replace('<cbc:Note>', `<cbc:Note${attrs}>`));
    const name = `cbc:${'N'.repeat(MiB)}`;
    expectReport('1 MB element name', invoice(`<${name}>x</${name}>`));
  });
});

describe('encodings', () => {
  const note = 'Șoseaua Ștefan cel Mare 1, București – ăîâ € 😀';
  const utf8 = withNote(note);
  const asUtf16 = utf8.replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const noteOf = (input: string | Uint8Array) => text(parseUblDocument(input).document.documentElement, 'cbc:Note');

  it('UTF-8 with and without BOM, UTF-16 LE and BE with BOM, and text: the same report and the same note', () => {
    const expected = expectReport('text', utf8);
    const variants: [InputEncoding, string][] = [
      ['utf-8', utf8],
      ['utf-8-bom', utf8],
      ['utf-16le-bom', asUtf16],
      ['utf-16be-bom', asUtf16],
      ['utf-16le-bom', utf8], // a BOM says more than a wrong declaration
    ];
    for (const [encoding, source] of variants) {
      const input = encodeAs(source, encoding);
      expect(expectReport(encoding, input)).toEqual(expected);
      expect(noteOf(input)).toBe(note);
    }
    expect(expectReport('text with a BOM character', `\uFEFF${utf8}`)).toEqual(expected);
  });

  it('ISO-8859-1 and windows-1252 as declared: the same report and the same note as UTF-8', () => {
    // eInvoice_ex.xml has a few characters outside Latin-1 in comments: replace them in every variant.
    const latin = (s: string) => Array.from(s, (ch) => (ch.charCodeAt(0) > 0xff ? '?' : ch)).join('');
    const latinNote = 'Zürich Straße, café Ñ ©';
    const base = latin(withNote(latinNote));
    const expected = expectReport('latin-1 text as UTF-8', Buffer.from(base, 'utf8'));
    const iso = Buffer.from(base.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    expect(expectReport('ISO-8859-1', iso)).toEqual(expected);
    expect(noteOf(iso)).toBe(latinNote);

    const cp1252: Record<string, number> = { '€': 0x80, '„': 0x84, Š: 0x8a, š: 0x9a, Ž: 0x8e, ž: 0x9e };
    const winNote = 'Pret € „Š" ž';
    const winSource = Array.from(withNote(winNote), (ch) => (ch.charCodeAt(0) > 0xff && !(ch in cp1252) ? '?' : ch)).join('');
    const bytes = Buffer.from(
      Array.from(winSource.replace('encoding="UTF-8"', 'encoding="windows-1252"'), (ch) => cp1252[ch] ?? ch.charCodeAt(0)),
    );
    const expectedWin = expectReport('windows-1252 text as UTF-8', Buffer.from(winSource, 'utf8'));
    expect(expectReport('windows-1252', bytes)).toEqual(expectedWin);
    expect(noteOf(bytes)).toBe(winNote);
  });

  it('text input ignores the declared encoding (it is already decoded)', () => {
    const declared = utf8.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(expectReport('text declaring ISO-8859-1', declared)).toEqual(expectReport('text', utf8));
    expect(noteOf(declared)).toBe(note);
  });

  it('an encoding that cannot be decoded: XML_ENCODING_UNSUPPORTED', () => {
    for (const enc of ['EBCDIC-FUZZ', 'UTF-7', 'x-unknown'])
      expectCode(`declared ${enc}`, Buffer.from(utf8.replace('encoding="UTF-8"', `encoding="${enc}"`)), 'XML_ENCODING_UNSUPPORTED');
  });

  it('bytes that are not UTF-8 in a UTF-8 document: UBL_MALFORMED (XML 1.0 §4.3.3: a fatal error)', () => {
    const at = utf8.indexOf('<cbc:Note>') + '<cbc:Note>'.length;
    for (const bad of [[0xc3, 0x28], [0xff], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
      const input = Buffer.concat([Buffer.from(utf8.slice(0, at)), Buffer.from(bad), Buffer.from(utf8.slice(at))]);
      expectCode(`invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')}`, input, 'UBL_MALFORMED');
    }
  });
});

describe('broken input', () => {
  it('a NUL character in content, as text and as bytes: UBL_MALFORMED', () => {
    const xml = withNote('a\u0000b');
    expectCode('NUL in text', xml, 'UBL_MALFORMED');
    expectCode('NUL in bytes', Buffer.from(xml), 'UBL_MALFORMED');
  });

  it('truncated at 20 points (inside tags, text, the end tag of the root): UBL_MALFORMED', () => {
    const end = example.lastIndexOf('</Invoice>');
    const cuts = [...Array.from({ length: 19 }, (_, i) => Math.floor(((i + 1) * end) / 20)), end + 5];
    for (const cut of cuts) expectCode(`truncated at ${cut}`, example.slice(0, cut), 'UBL_MALFORMED');
  });

  it('empty input, whitespace only, a BOM only: UBL_MALFORMED', () => {
    expectCode('empty text', '', 'UBL_MALFORMED');
    expectCode('empty bytes', new Uint8Array(0), 'UBL_MALFORMED');
    expectCode('whitespace', ' \n\t ', 'UBL_MALFORMED');
    expectCode('BOM only', new Uint8Array([0xef, 0xbb, 0xbf]), 'UBL_MALFORMED');
    expectCode('declaration only', '<?xml version="1.0" encoding="UTF-8"?>', 'UBL_MALFORMED');
  });

  it('a PDF: UBL_MALFORMED', () => {
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n%'),
      Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
      Buffer.from('\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
    ]);
    expectCode('PDF', pdf, 'UBL_MALFORMED');
  });

  it('well-formed XML that is not UBL (HTML, another namespace): UBL_UNKNOWN_ROOT', () => {
    expectCode('xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', 'UBL_UNKNOWN_ROOT');
    expectCode('Invoice in no namespace', '<Invoice><ID>1</ID></Invoice>', 'UBL_UNKNOWN_ROOT');
  });
});
