import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INVOICE_DOCUMENT, validateUbl } from '@cetate/invoicing-domain';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

let p: TestPlatform;

beforeAll(async () => {
  // ANAF applies a rule our validation does not know yet: invoices numbered REJECT-* break it.
  p = await startTestPlatform({
    simValidate: (xml) => {
      const own = validateUbl(xml);
      if (!xml.toString('utf8').includes('<cbc:ID>REJECT-')) return own;
      const message = '[BR-RO-999]-Regula noua a ANAF (simulata): numarul facturii nu este acceptat';
      return { valid: false, fatal: [message], messages: [{ ruleId: 'BR-RO-999', message, flag: 'fatal' }] };
    },
  });
});
afterAll(async () => {
  await p?.close();
});

describe('ANAF rejects an invoice our validation accepted', () => {
  it('ends rejected with the rule ids parsed from ANAF error report, and the error ZIP archived', async () => {
    const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'REJECT-1' });
    await p.client.send(inv.id);
    const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('rejected');
    expect(done.efactura.fatal).toEqual(['BR-RO-999']);
    expect(done.efactura.messages[0]?.message).toContain('numarul facturii nu este acceptat');
    expect(done.efactura.anafZipAvailable).toBe(true);
    expect(p.uploadsOf(done)).toBe(1);
    const states = (await p.client.get(inv.id)).history.map((h) => h.state);
    expect(states).toEqual(['draft', 'queued', 'submitted', 'rejected']);
  });
});
