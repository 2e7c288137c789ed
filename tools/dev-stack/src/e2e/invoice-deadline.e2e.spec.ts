/**
 * The legal transmission deadline (issue 7 point 6): every invoice view shows `efactura.deadline` (the 5th Romanian
 * working day after BT-2, public holidays not counted), and `GET /v1/invoices?due=YYYY-MM-DD` lists the invoices not
 * yet transmitted (every state but `submitted` and `accepted`) whose deadline is on or before that date, earliest
 * first. Real platform with the worker (an accepted invoice must drop out of the list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import type { InvoiceView } from '@cetate/invoicing-contracts';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

let p: TestPlatform;
const made: Record<string, InvoiceView> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  const json = (number: string, issueDate: string) => p.client.create({ ...DEMO_INVOICE_DOCUMENT, number, issueDate });
  // Friday before St Andrew (30 Nov) and the National Day (1 Dec): deadline Tuesday 8 December
  made.A = await json('DUE-2026-A', '2026-11-27');
  // Wednesday 2 December: deadline Wednesday 9 December
  made.B = await json('DUE-2026-B', '2026-12-02');
  // Friday 20 November, sent and accepted: transmitted, never at risk
  made.C = await json('DUE-2026-C', '2026-11-20');
  await p.client.send(made.C.id);
  expect((await p.client.waitForFinal(made.C.id, { timeoutMs: 60_000 })).efactura.state).toBe('accepted');
  // Thursday 26 November, imported, breaks BR-RO-010 (no digit in BT-1): invalid, so still not transmitted; deadline 7 December
  made.D = await p.client.importXml(buildCiusRoUbl({ ...DEMO_INVOICE_DOCUMENT, number: 'DUE-FARA-CIFRE', issueDate: '2026-11-26' }));
  await p.client.send(made.D.id);
  expect((await p.client.waitForFinal(made.D.id, { timeoutMs: 60_000 })).efactura.state).toBe('invalid');
}, 180_000);
afterAll(async () => {
  await p?.close();
});

async function list(query: string): Promise<{ status: number; body: { items?: InvoiceView[]; total?: number; code?: string; traceId?: string } }> {
  const res = await fetch(`${p.api.url}/v1/invoices?${query}`, { headers: { authorization: `Bearer ${await p.token('reader')}` } });
  return { status: res.status, body: (await res.json()) as never };
}
const numbers = (b: { items?: InvoiceView[] }) => (b.items ?? []).map((i) => i.number);

describe('transmission deadline', () => {
  it('each view shows its deadline, counted in Romanian working days', async () => {
    expect(made.A!.efactura.deadline).toBe('2026-12-08');
    expect(made.B!.efactura.deadline).toBe('2026-12-09');
    expect((await p.client.get(made.C!.id)).efactura.deadline).toBe('2026-11-27');
    expect(made.D!.efactura.deadline).toBe('2026-12-07');
    const all = await list('limit=10');
    expect(Object.fromEntries((all.body.items ?? []).map((i) => [i.number, i.efactura.deadline]))).toEqual({
      'DUE-2026-A': '2026-12-08',
      'DUE-2026-B': '2026-12-09',
      'DUE-2026-C': '2026-11-27',
      'DUE-FARA-CIFRE': '2026-12-07',
    });
  });

  it('?due= lists the invoices not yet transmitted whose deadline is on or before the date, earliest first', async () => {
    expect(numbers((await list('due=2026-12-06')).body)).toEqual([]);
    expect(numbers((await list('due=2026-12-07')).body)).toEqual(['DUE-FARA-CIFRE']);
    const r = await list('due=2026-12-08');
    expect(r.status).toBe(200);
    expect(numbers(r.body)).toEqual(['DUE-FARA-CIFRE', 'DUE-2026-A']);
    expect(r.body.total).toBe(2);
    // the accepted one (deadline 27 November) is transmitted: never listed, however late the date
    expect(numbers((await list('due=2027-12-31')).body)).toEqual(['DUE-FARA-CIFRE', 'DUE-2026-A', 'DUE-2026-B']);
    expect(numbers((await list('due=2027-12-31&state=draft')).body)).toEqual(['DUE-2026-A', 'DUE-2026-B']);
    expect(numbers((await list('due=2027-12-31&limit=1&offset=1')).body)).toEqual(['DUE-2026-A']);
  });

  it('refuses a due value that is not a calendar date with 400 problem+json', async () => {
    for (const q of ['due=2026-11-31', 'due=08.12.2026', 'due=tomorrow', 'due=2026-12-8']) {
      const r = await list(q);
      expect(r.status, q).toBe(400);
      expect(r.body.code, q).toBe('INVALID_QUERY_PARAMETER');
      expect(r.body.traceId, q).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});
