/**
 * `POST /v1/validate` over real HTTP (invoicing-api in-process on real PostgreSQL and RabbitMQ, dev identity server,
 * embedded S3, worker in-process: `startTestPlatform`), and "one validation function everywhere" (issue 8): the
 * endpoint, the import answer and the worker's check before the upload give the same findings for one document.
 * Expected verdicts come from ANAF's CIUS-RO 1.0.9 Schematron run over the shared conformance corpus
 * (`expected-cius-ro-1.0.9.tsv`), never from our own validator.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceDocumentSchema, type ValidationFindingView, type ValidationResultView } from '@cetate/invoicing-contracts';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT, validateUbl } from '@cetate/invoicing-domain';
import { conformanceDir, readExpectedVerdicts } from '@cetate/platform-testing';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const CONFORMANCE = conformanceDir();
const VALID_XML = 'invoices/ro-phive/ubl_b2g_example1.xml';
/** The ro-mut documents: ANAF's own example with one CIUS-RO rule broken each. */
const MUTANTS = [...readExpectedVerdicts('cius-ro-1.0.9')].filter(([file]) => file.startsWith('invoices/ro-mut/'));

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const read = (file: string) => readFile(path.join(CONFORMANCE, file));
const validateXml = (xml: Buffer | string, type = 'application/xml') => p.apiCall('POST', '/v1/validate', { data: xml, type });
const result = (json: Record<string, unknown> | undefined) => json as unknown as ValidationResultView;

/** A finding's `line`/`column` point at the start tag of the element its `xpath` names, in `source`. */
function expectLocated(f: ValidationFindingView, source: string): void {
  expect(f.line, `${f.ruleId} at ${f.xpath}: line`).toBeGreaterThan(0);
  expect(f.column, `${f.ruleId} at ${f.xpath}: column`).toBeGreaterThan(0);
  const qname = f.xpath.split('/').pop()!.replace(/\[\d+\]$/, '');
  const at = source.split(/\r?\n/)[f.line! - 1]!.slice(f.column! - 1);
  expect(at.startsWith(`<${qname}`), `${f.ruleId}: line ${f.line} column ${f.column} is ${JSON.stringify(at.slice(0, 40))}, not <${qname}`).toBe(true);
}

async function expectProblem(res: { status: number; json: Record<string, unknown> | undefined; headers: Headers }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, instance: '/v1/validate' });
  expect(String(res.json!.detail).length).toBeGreaterThan(10);
  expect(res.json!.traceId).toMatch(/^[0-9a-f]{32}$/);
}

describe('POST /v1/validate: UBL XML', () => {
  it('a document ANAF accepts: 200, valid, no fatal finding', async () => {
    expect(readExpectedVerdicts('cius-ro-1.0.9').get(VALID_XML)!.fatal).toEqual([]);
    const res = await validateXml(await read(VALID_XML));
    expect(res.status).toBe(200);
    const r = result(res.json);
    expect(r).toMatchObject({ valid: true, documentType: 'Invoice', fatal: [] });
    expect(r.findings.filter((f) => f.flag === 'fatal')).toEqual([]);
  });

  it.each(MUTANTS.map(([file, v]) => [path.basename(file), file, v.fatal] as const))(
    '%s: the fatal rule ids of ANAF\'s Schematron, each finding with ro/en texts, terms, xpath and line/column',
    async (_name, file, fatal) => {
      const xml = await read(file);
      const res = await validateXml(xml, 'text/xml');
      expect(res.status).toBe(200);
      const r = result(res.json);
      expect(r.valid).toBe(false);
      expect(r.fatal).toEqual([...fatal]);
      expect([...new Set(r.findings.filter((f) => f.flag === 'fatal').map((f) => f.ruleId))].sort()).toEqual([...fatal]);
      for (const f of r.findings) {
        expect(f.message.startsWith(`[${f.ruleId}]-`)).toBe(true);
        expect(f.ro.trim()).not.toBe('');
        expect(f.en.trim()).not.toBe('');
        expect(Array.isArray(f.terms)).toBe(true);
        expect(f.xpath).toMatch(/^\/(Invoice|CreditNote)(\/[a-z]+:[A-Za-z]+\[\d+\])*$/);
        expectLocated(f, xml.toString('utf8'));
      }
    },
  );

  it('garbage: 422 problem+json with the parser\'s code UBL_MALFORMED and where it stopped', async () => {
    const res = await validateXml('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">\n  <cbc:ID>1</Invoice>');
    await expectProblem(res, 422, 'UBL_MALFORMED');
    expect(res.json!.line).toBe(2);
    expect(res.json!.column).toEqual(expect.any(Number));
  });

  it('well-formed XML that is not an invoice: 422 UBL_UNKNOWN_ROOT; a DOCTYPE: 422 XML_DTD_FORBIDDEN', async () => {
    await expectProblem(await validateXml('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'), 422, 'UBL_UNKNOWN_ROOT');
    const dtd = '<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x "y">]>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
    await expectProblem(await validateXml(dtd), 422, 'XML_DTD_FORBIDDEN');
  });

  it('over 10 MiB: 413; another media type: 415', async () => {
    await expectProblem(await validateXml(Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(await p.apiCall('POST', '/v1/validate', { data: 'hello', type: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('POST /v1/validate: invoice JSON (the editor)', () => {
  it('the demo document: built with buildCiusRoUbl and valid', async () => {
    const res = await p.apiCall('POST', '/v1/validate', { data: JSON.stringify(DEMO_INVOICE_DOCUMENT), type: 'application/json' });
    expect(res.status).toBe(200);
    expect(result(res.json)).toMatchObject({ valid: true, documentType: 'Invoice', fatal: [] });
  });

  it('a document the schema accepts but the rules do not: the findings of its built UBL', async () => {
    // 15-digit quantities and prices: totals of 30 digits (found while writing this test: the totals rules fail)
    const doc = { ...DEMO_INVOICE_DOCUMENT, lines: DEMO_INVOICE_DOCUMENT.lines.map((l) => ({ ...l, quantity: '999999999999999', priceAmount: '999999999999999' })) };
    const expected = validateUbl(buildCiusRoUbl(InvoiceDocumentSchema.parse(doc)));
    expect(expected.fatal.length, 'this fixture no longer breaks a rule: pick another one').toBeGreaterThan(0);
    const res = await p.apiCall('POST', '/v1/validate', { data: JSON.stringify(doc), type: 'application/json' });
    expect(res.status).toBe(200);
    expect(result(res.json)).toEqual({ valid: false, documentType: 'Invoice', fatal: expected.fatal, warnings: expected.warnings, findings: expected.messages });
  });

  it('a document the schema refuses: 400 VALIDATION_FAILED listing the fields', async () => {
    const res = await p.apiCall('POST', '/v1/validate', { data: JSON.stringify({ ...DEMO_INVOICE_DOCUMENT, number: 'ABC', currencyCode: 12 }), type: 'application/json' });
    await expectProblem(res, 400, 'VALIDATION_FAILED');
    const paths = (res.json!.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['number', 'currencyCode']));
  });
});

describe('one validation everywhere', () => {
  it('any user of the tenant may validate (role user); a token of a realm that is no tenant may not', async () => {
    const body = await read(VALID_XML);
    const reader = await fetch(`${p.api.url}/v1/validate`, { method: 'POST', headers: { authorization: `Bearer ${await p.token('reader')}`, 'content-type': 'application/xml' }, body });
    expect(reader.status).toBe(200);
    const stranger = await fetch(`${p.api.url}/v1/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token('cetate-api', p.strangerRealm)}`, 'content-type': 'application/xml' },
      body,
    });
    expect(stranger.status).toBe(403);
  });

  it('import answers the findings of /v1/validate; the worker stores the same findings on the invalid invoice', async () => {
    const [file, expected] = MUTANTS.find(([f]) => f.endsWith('mut_BR-RO-030.xml'))!;
    const xml = await read(file);
    const validated = result((await validateXml(xml)).json);
    const imported = await p.client.importXml(xml);
    expect(imported.efactura.state).toBe('draft');
    expect(imported.validation).toEqual(validated);
    expect(imported.validation!.fatal).toEqual([...expected.fatal]);

    await p.client.send(imported.id);
    const done = await p.client.waitForFinal(imported.id, { timeoutMs: 30_000 });
    expect(done.efactura.state).toBe('invalid');
    expect(done.efactura.fatal).toEqual(validated.fatal);
    expect(done.efactura.messages).toEqual(validated.findings);
    expect(p.uploadsOf(done)).toBe(0);
  });

  it('import of garbage: 400 with the parser\'s code and line (nothing stored)', async () => {
    const res = await p.apiCall('POST', '/v1/invoices/import', { data: '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">\n<a></b></Invoice>', type: 'application/xml' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'UBL_MALFORMED', line: 2 });
  });
});
