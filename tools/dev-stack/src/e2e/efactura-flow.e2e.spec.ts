import { conformanceDir } from '@cetate/platform-testing';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTenant } from '@cetate/platform-tenancy';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const CONFORMANCE = conformanceDir();
const VALID_XML = path.join(CONFORMANCE, 'invoices/ro-phive/ubl_b2g_example1.xml');
const INVALID_XML = path.join(CONFORMANCE, 'invoices/ro-mut/mut_BR-RO-010.xml');

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

/** A copy of the valid sample with its own invoice number (BT-1), so uploads are counted per test. */
async function validXmlNumbered(n: string): Promise<{ xml: string; number: string }> {
  const src = await readFile(VALID_XML, 'utf8');
  const m = /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(src);
  if (!m) throw new Error('sample without cbc:ID');
  const number = `${m[1]}-${n}`;
  return { xml: src.replace(m[0], `<cbc:ID>${number}</cbc:ID>`), number };
}

describe('e-Factura flow, end to end (real PostgreSQL, RabbitMQ, S3 server, identity server, ANAF simulator)', () => {
  it('a JSON invoice becomes CIUS-RO UBL, is accepted by ANAF and its signed ZIP is archived; sent twice it is uploaded once', async () => {
    const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'E2E-JSON-1' });
    expect(inv.efactura.state).toBe('draft');
    const [a, b] = await Promise.all([p.client.send(inv.id), p.client.send(inv.id)]);
    expect([a.queued, b.queued].sort()).toEqual([false, true]);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    expect(done.efactura.indexIncarcare).toMatch(/^\d+$/);
    const again = await p.client.send(inv.id);
    expect(again).toMatchObject({ queued: false, state: 'accepted' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.uploadsOf(inv)).toBe(1);

    const detail = await p.client.get(inv.id);
    const states = detail.history.map((h) => h.state);
    // validating/uploading are steps of the worker's own record, not published (ADR 0026): queued until ANAF has it
    expect(states).toEqual(['draft', 'queued', 'submitted', 'accepted']);
    // The signed ZIP is in the tenant bucket under the module prefix.
    const objects = await runInTenant(p.tenant, () => p.storage.listObjects(p.tenant, `invoicing/invoices/${inv.id}/`));
    expect(objects.map((o) => o.objectKey).some((n) => /anaf-\d+\.zip$/.test(n))).toBe(true);
    const zip = await fetch(`${p.api.url}/v1/invoices/${inv.id}/anaf-zip`, { headers: { authorization: `Bearer ${await p.token()}` } });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const xml = await fetch(`${p.api.url}/v1/invoices/${inv.id}/xml`, { headers: { authorization: `Bearer ${await p.token()}` } });
    expect(await xml.text()).toContain('urn:efactura.mfinante.ro:CIUS-RO:1.0.1');
  });

  it('an invoice breaking a CIUS-RO rule ends invalid with the rule id and is never uploaded', async () => {
    const inv = await p.client.importXml(await readFile(INVALID_XML));
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 30_000 });
    expect(done.efactura.state).toBe('invalid');
    expect(done.efactura.fatal).toEqual(['BR-RO-010']);
    expect(p.uploadsOf(inv)).toBe(0);
  });

  it('an upload whose answer never comes becomes unknown and is reconciled through the message list, without a second upload', async () => {
    const { xml, number } = await validXmlNumbered('timeout-after');
    const inv = await p.client.importXml(xml);
    p.sim.faults.add({ endpoint: 'upload', kind: 'timeout-after-accept', times: 1 });
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    const states = (await p.client.get(inv.id)).history.map((h) => h.state);
    expect(states).toContain('unknown');
    expect(states.indexOf('unknown')).toBeLessThan(states.indexOf('submitted'));
    expect(done.number).toBe(number);
    expect(p.uploadsOf(done)).toBe(1);
  });

  it('an upload that timed out before ANAF took it is proven absent after the grace period and uploaded once more', async () => {
    const { xml, number } = await validXmlNumbered('timeout-before');
    const inv = await p.client.importXml(xml);
    p.sim.faults.add({ endpoint: 'upload', kind: 'timeout-before-accept', times: 1 });
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    const detail = await p.client.get(inv.id);
    expect(detail.history.map((h) => h.state)).toContain('unknown');
    expect(detail.number).toBe(number);
    expect(p.uploadsOf(detail)).toBe(1);
  });

  it('an upload ANAF turned away (HTTP 429) is repeated on the next delivery, and counted once', async () => {
    const { xml, number } = await validXmlNumbered('rate-limited');
    const inv = await p.client.importXml(xml);
    p.sim.faults.add({ endpoint: 'upload', kind: 'http429', times: 1 });
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    const states = (await p.client.get(inv.id)).history.map((h) => h.state);
    expect(states).toEqual(['draft', 'queued', 'submitted', 'accepted']); // the turned-away attempt left no trace but the count
    const [sub] = await p.tenantQuery<{ upload_attempts: number }>(`SELECT upload_attempts FROM efactura.submission WHERE invoice_id = $1`, [inv.id]);
    expect(sub?.upload_attempts).toBe(2); // the turned-away attempt and the repeat
    expect(done.number).toBe(number);
    expect(p.uploadsOf(done)).toBe(1);
  });

  it("another program's upload for the same CIF is inspected once and does not stop the reconciliation of ours", async () => {
    // an invoice of this CIF uploaded by other software (or by hand in SPV): ANAF lists it as FACTURA TRIMISA too
    const foreign = await validXmlNumbered('foreign');
    const token = await p.sim.issueAccessToken();
    const r = await fetch(`${p.sim.url}/test/FCTEL/rest/upload?standard=UBL&cif=${p.tenant.cif}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: foreign.xml,
    });
    expect(await r.text()).toContain('ExecutionStatus="0"');
    const { xml } = await validXmlNumbered('ours-after-foreign');
    const inv = await p.client.importXml(xml);
    p.sim.faults.add({ endpoint: 'upload', kind: 'timeout-before-accept', times: 1 });
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    expect(p.uploadsOf(done)).toBe(1);
    // the foreign message was downloaded once and remembered, however many runs reconciled meanwhile
    const seen = await p.tenantQuery<{ id_descarcare: string; invoice_sha256: string | null }>(`SELECT id_descarcare, invoice_sha256 FROM efactura.anaf_message`);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const used = await p.tenantQuery<{ key: string; used: number }>(
      `SELECT key, used FROM efactura.anaf_quota WHERE endpoint = 'descarcare' AND key = ANY($1::text[])`,
      [seen.map((x) => x.id_descarcare)],
    );
    expect(used.map((u) => u.key).sort()).toEqual(seen.map((x) => x.id_descarcare).sort()); // every inspected one was counted
    for (const u of used) expect(u.used, u.key).toBe(1);
  });
});
