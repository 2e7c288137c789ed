/**
 * Issue 10, inbound e-Factura end to end: supplier invoices uploaded to the ANAF simulator by other companies with the
 * tenant's CIF (41832096) as buyer become purchase invoices in documents-api after an inbox sync, exactly once each,
 * with their totals; a second sync adds nothing; the archived ZIP's signature verifies; a 1,200-message inbox is read
 * through pagination; a buyer message (filter R) is archived; a scanned copy of the same invoice is flagged.
 * Real PostgreSQL, RabbitMQ, S3 server (embedded), identity server and simulator; worker-anaf and both APIs run here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAnafSignature, verifyAnafZip } from '@cetate/anaf-client';
import { runInTenant } from '@cetate/platform-tenancy';
import { seedInvoiceDocument, seedSellers } from '@cetate/anaf-sim';
import { buildCiusRoUbl } from '@cetate/invoicing-domain';
import type { PurchaseInvoiceView } from '@cetate/documents-contracts';
import type { InboxSyncRunView } from '@cetate/invoicing-api';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

const BUYER = '41832096';
let p: TestPlatform;

/** Uploads an invoice to the simulator as the supplier `sellerCif` would (its own token), and waits for ANAF's verdict. */
async function uploadAsSupplier(sellerCif: string, xml: string): Promise<string> {
  const token = await p.sim.issueAccessToken();
  const res = await fetch(`${p.sim.url}/test/FCTEL/rest/upload?standard=UBL&cif=${sellerCif}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: xml,
  });
  const text = await res.text();
  const index = /index_incarcare="(\d+)"/.exec(text)?.[1];
  if (!index) throw new Error(`upload refused: ${text}`);
  const deadline = Date.now() + 20_000;
  while (!p.sim.messages().some((m) => m.id_solicitare === index && m.tip === 'FACTURA PRIMITA')) {
    const nok = p.sim.messages().some((m) => m.id_solicitare === index && m.tip === 'ERORI FACTURA');
    if (nok || Date.now() > deadline) throw new Error(`upload ${index} not accepted by the simulator`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return index;
}

/** Asks for a sync through invoicing-api and waits for the run to end. */
async function syncNow(): Promise<InboxSyncRunView> {
  const started = await p.apiCall('POST', '/v1/efactura/inbox/sync', { data: JSON.stringify({ cif: BUYER }), type: 'application/json' });
  expect(started.status, JSON.stringify(started.json)).toBe(202);
  const runId = (started.json as { runs: Array<{ runId: string }> }).runs[0]!.runId;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await p.apiCall('GET', `/v1/efactura/inbox/runs/${runId}`);
    const run = r.json as unknown as InboxSyncRunView;
    if (['done', 'failed', 'skipped'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end: ${JSON.stringify(run)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** Every purchase invoice of the tenant (documents-api, all pages). */
async function purchases(): Promise<PurchaseInvoiceView[]> {
  const out: PurchaseInvoiceView[] = [];
  for (let offset = 0; ; ) {
    const r = await p.documentsCall('GET', `/v1/purchase-invoices?limit=200&offset=${offset}`);
    expect(r.status).toBe(200);
    const page = r.json as unknown as { items: PurchaseInvoiceView[]; total: number };
    out.push(...page.items);
    offset += page.items.length;
    if (!page.items.length || offset >= page.total) return out;
  }
}

/** Waits until documents-api holds `n` purchase invoices from e-Factura (the events are consumed asynchronously). */
async function waitForEfacturaPurchases(n: number, timeoutMs = 120_000): Promise<PurchaseInvoiceView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await p.tenantQuery<{ n: number }>(`SELECT count(*)::int AS n FROM purchases.purchase_invoice WHERE source = 'efactura'`);
    if (row!.n >= n) return (await purchases()).filter((x) => x.source === 'efactura');
    if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${n} e-Factura purchase invoices recorded`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  p = await startTestPlatform({ documents: true });
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('inbox sync (issue 10)', () => {
  const sellers = seedSellers(3, 900);
  const uploaded: Array<{ index: string; sellerCif: string; number: string; payable: string; net: string; vat: string; issueDate: string; vatByRate: Map<string, string> }> = [];

  it('turns each supplier invoice sent to the tenant into one purchase invoice with its totals, and a second sync adds nothing', async () => {
    for (const [i, seller] of sellers.entries()) {
      const doc = seedInvoiceDocument(seller, { cif: BUYER, name: 'Cetate Demo Software SRL' }, 700_000 + i, '2026-11-27');
      const xml = buildCiusRoUbl(doc);
      const index = await uploadAsSupplier(seller.cif, xml);
      const m = (tag: string) => new RegExp(`<cbc:${tag} currencyID="RON">([^<]+)</cbc:${tag}>`).exec(xml)![1]!;
      const vatByRate = new Map<string, string>();
      for (const sub of xml.matchAll(/<cac:TaxSubtotal>[\s\S]*?<cbc:TaxAmount currencyID="RON">([^<]+)<\/cbc:TaxAmount>[\s\S]*?<cbc:Percent>([^<]+)<\/cbc:Percent>/g)) {
        vatByRate.set(Number(sub[2]).toFixed(2), sub[1]!);
      }
      uploaded.push({ index, sellerCif: seller.cif, number: doc.number, payable: m('PayableAmount'), net: m('TaxExclusiveAmount'), vat: /<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="RON">([^<]+)</.exec(xml)![1]!, issueDate: doc.issueDate, vatByRate });
    }

    const first = await syncNow();
    expect(first.status, first.error ?? '').toBe('done');
    expect(first.newMessages).toBe(3);
    expect(first.archived).toBe(3);
    expect(first.receivedInvoices).toBe(3);
    expect(first.failed).toBe(0);
    expect(first.pending).toBe(0);

    const got = await waitForEfacturaPurchases(3);
    expect(got).toHaveLength(3);
    for (const u of uploaded) {
      const mine = got.filter((x) => x.efactura?.idSolicitare === u.index);
      expect(mine, `id_solicitare ${u.index}`).toHaveLength(1);
      const pi = mine[0]!;
      expect(pi.supplier.cif).toBe(u.sellerCif);
      expect(pi.buyer.cif).toBe(BUYER);
      expect(pi.number).toBe(u.number);
      expect(pi.issueDate).toBe(u.issueDate);
      expect(pi.currency).toBe('RON');
      expect(pi.totals.payable).toBe(u.payable);
      expect(pi.totals.net).toBe(u.net);
      expect(pi.totals.vat).toBe(u.vat);
      expect(new Map(pi.vat.map((v) => [Number(v.rate).toFixed(2), v.amount]))).toEqual(u.vatByRate);
      expect(pi.lines.length).toBeGreaterThan(0);
      expect(pi.duplicateOf).toBeNull();
      expect(pi.efactura?.signatureVerified).toBe(true);
    }

    const second = await syncNow();
    expect(second.status).toBe('done');
    expect(second.newMessages).toBe(0);
    expect(second.archived).toBe(0);
    expect(second.receivedInvoices).toBe(0);
    expect(second.listed).toBeGreaterThanOrEqual(3); // the overlap lists them again; nothing is taken twice
    // the relay publishes within a second: give a wrongly enqueued second event the time to arrive
    await new Promise((r) => setTimeout(r, 2000));
    expect((await purchases()).filter((x) => x.source === 'efactura')).toHaveLength(3);
    const perMessage = await p.tenantQuery<{ n: number }>(`SELECT count(*)::int AS n FROM messaging.outbox WHERE message_id LIKE 'efactura-inbound:%'`);
    expect(perMessage[0]!.n).toBe(3);
  }, 180_000);

  it('archives the signed ZIP of each received invoice; its signature verifies with the simulator certificate, and a changed byte fails it', async () => {
    const got = (await purchases()).filter((x) => x.source === 'efactura');
    expect(got.length).toBeGreaterThan(0);
    for (const pi of got) {
      const key = pi.efactura!.zipObjectKey!;
      expect(key).toMatch(new RegExp(`^invoicing/efactura/inbox/${BUYER}/\\d+\\.zip$`));
      const zip = await runInTenant(p.tenant, () => p.storage.getObject(p.tenant, key));
      const v = await verifyAnafZip(zip, { trustedCertificates: [p.sim.certificatePem] });
      expect(v.verification.valid, v.verification.reason).toBe(true);
      expect(v.xml.toString('utf8')).toContain(`<cbc:ID>${pi.number}</cbc:ID>`);
      // one changed byte of the invoice, same signature: refused
      const tampered = Buffer.from(v.xml);
      const at = tampered.indexOf("<cbc:ID>") + 8;
      tampered[at] = tampered[at]! ^ 1;
      expect(verifyAnafSignature(tampered, v.signatureXml, { trustedCertificates: [p.sim.certificatePem] }).valid).toBe(false);
    }
  });

  it('flags a supplier invoice that was already recorded from a scan (same supplier CUI, number and date): never counted twice', async () => {
    const seller = seedSellers(1, 950)[0]!;
    const doc = seedInvoiceDocument(seller, { cif: BUYER, name: 'Cetate Demo Software SRL' }, 710_000, '2026-11-28');
    const scanned = randomUUID();
    await p.tenantQuery(
      `INSERT INTO purchases.purchase_invoice (id, source, supplier_cif, number, issue_date, currency, payable_total) VALUES ($1, 'ocr', $2, $3, $4::date, 'RON', 1)`,
      [scanned, seller.cif, doc.number.toLowerCase().replace(/-/g, ' '), doc.issueDate],
    );
    const index = await uploadAsSupplier(seller.cif, buildCiusRoUbl(doc));
    const run = await syncNow();
    expect(run.receivedInvoices).toBe(1);
    const before = (await purchases()).filter((x) => x.source === 'efactura').length;
    const got = await waitForEfacturaPurchases(before);
    const mine = got.filter((x) => x.efactura?.idSolicitare === index);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.duplicateOf).toBe(scanned);
    const [identity] = await p.tenantQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM purchases.purchase_invoice WHERE supplier_cif = $1 AND issue_date = $2::date AND duplicate_of IS NULL`,
      [seller.cif, doc.issueDate],
    );
    expect(identity!.n).toBe(1);
  }, 120_000);

  it('archives and records a buyer message (filter R) without making a purchase invoice of it', async () => {
    const efBefore = (await purchases()).filter((x) => x.source === 'efactura').length;
    p.sim.addBuyerMessage({ fromCif: '35246718', toCif: BUYER, idSolicitare: uploaded[0]!.index, text: 'Factura acceptata, multumim.' });
    const run = await syncNow();
    expect(run.status).toBe('done');
    expect(run.buyerMessages).toBe(1);
    expect(run.receivedInvoices).toBe(0);
    const msgs = await p.apiCall('GET', `/v1/efactura/inbox/messages?cif=${BUYER}`);
    const r = (msgs.json as unknown as Array<{ filtru: string; status: string; zipObjectKey: string | null; signatureValid: boolean | null }>).filter((m) => m.filtru === 'R');
    expect(r).toHaveLength(1);
    expect(r[0]!.status).toBe('recorded');
    expect(r[0]!.zipObjectKey).toBeTruthy();
    expect(r[0]!.signatureValid).toBe(true);
    await new Promise((res) => setTimeout(res, 1500));
    expect((await purchases()).filter((x) => x.source === 'efactura')).toHaveLength(efBefore);
  }, 120_000);

  it('checks the supplier of a received invoice with the taxpayer lookup (inactive on the issue date), and fills a buyer from its CUI', async () => {
    // 34567892 is inactive since 2025-06-01 in the simulator's fixture (tools/anaf-sim/fixtures/taxpayers.json)
    const seller = { cif: '34567892', name: 'MOLDOVA PAPETARIE SRL', county: { code: 'RO-IS', city: 'Iasi', postalCode: '700001' } };
    const doc = seedInvoiceDocument(seller, { cif: BUYER, name: 'Cetate Demo Software SRL' }, 720_000, '2026-11-29');
    const index = await uploadAsSupplier(seller.cif, buildCiusRoUbl(doc));
    const before = (await purchases()).filter((x) => x.source === 'efactura').length;
    expect((await syncNow()).receivedInvoices).toBe(1);
    const pi = (await waitForEfacturaPurchases(before + 1)).find((x) => x.efactura?.idSolicitare === index)!;
    expect(pi.efactura!.supplierCheck).toMatchObject({ found: true, inactive: true });

    const buyer = await p.apiCall('GET', '/v1/taxpayers/41832096');
    expect(buyer.status, JSON.stringify(buyer.json)).toBe(200);
    expect(buyer.json).toMatchObject({ cui: '41832096', name: 'CETATE DEMO SOFTWARE SRL' });
    const bad = await p.apiCall('GET', '/v1/taxpayers/41832097');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.json).toHaveProperty('traceId');
  }, 120_000);

  it('reads a 1,200-message inbox through pagination (500 a page), each invoice once', async () => {
    const before = (await purchases()).filter((x) => x.source === 'efactura').length;
    const seeded = p.sim.seedInbox({ buyerCif: BUYER, count: 1200, sellers: 40, daysAgo: [0, 20] });
    const run = await syncNow();
    expect(run.status, run.error ?? '').toBe('done');
    expect(run.newMessages).toBe(1200);
    expect(run.receivedInvoices).toBe(1200);
    expect(run.pending).toBe(0);
    const got = await waitForEfacturaPurchases(before + 1200, 180_000);
    expect(got).toHaveLength(before + 1200);
    const byIndex = new Map(got.map((x) => [x.efactura!.idSolicitare, x]));
    for (const s of seeded) {
      const pi = byIndex.get(s.idSolicitare);
      expect(pi, s.idSolicitare).toBeDefined();
      expect(pi!.totals.payable).toBe(s.payableAmount);
      expect(pi!.supplier.cif).toBe(s.sellerCif);
    }
    // one list call per page: at least 3 pages of P this run (ANAF's paginated list quota counts each call)
    const [calls] = await p.tenantQuery<{ used: number }>(
      `SELECT coalesce(sum(used), 0)::int AS used FROM efactura.anaf_quota WHERE endpoint = 'listaMesajePaginatieFactura' AND key = $1`,
      [BUYER],
    );
    expect(calls!.used).toBeGreaterThanOrEqual(3);
    // and each message was downloaded once, ever
    const [most] = await p.tenantQuery<{ m: number }>(`SELECT coalesce(max(used), 0)::int AS m FROM efactura.anaf_quota WHERE endpoint = 'descarcare'`);
    expect(most!.m).toBe(1);
  }, 300_000);
});
