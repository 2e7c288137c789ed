/**
 * `GET /v1/invoices` filters (issue 6 point 2 needs them for the list): buyer (BT-44, case-insensitive part, LIKE
 * wildcards literal), issue date bounds (BT-2, inclusive, on the date part), combined with state and paging; bad
 * values are 400 problem+json `INVALID_QUERY_PARAMETER`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform({ worker: 'none' });
  const make = (number: string, buyer: string, issueDate: string) =>
    tp.client.create({ ...DEMO_INVOICE_DOCUMENT, number, issueDate, buyer: { ...DEMO_INVOICE_DOCUMENT.buyer, name: buyer } });
  await make('F-1', 'Transilvania Distributie SRL', '2026-10-01');
  await make('F-2', 'Banat Logistic SA', '2026-10-14');
  await make('F-3', 'transilvania foods srl', '2026-11-02');
  await make('F-4', 'Reduceri 100% SRL', '2026-11-30');
}, 120_000);
afterAll(async () => {
  await tp?.close();
});

async function list(query: string): Promise<{ status: number; body: { items?: Array<{ number: string }>; total?: number; code?: string } }> {
  const res = await fetch(`${tp.api.url}/v1/invoices?${query}`, { headers: { authorization: `Bearer ${await tp.token()}` } });
  return { status: res.status, body: (await res.json()) as never };
}
const numbers = (b: { items?: Array<{ number: string }> }) => (b.items ?? []).map((i) => i.number).sort();

describe('GET /v1/invoices filters', () => {
  it('filters by a case-insensitive part of the buyer name', async () => {
    const r = await list('buyer=TRANSILVANIA');
    expect(r.status).toBe(200);
    expect(numbers(r.body)).toEqual(['F-1', 'F-3']);
    expect(r.body.total).toBe(2);
  });

  it('takes LIKE wildcards in the buyer literally', async () => {
    expect(numbers((await list(`buyer=${encodeURIComponent('100%')}`)).body)).toEqual(['F-4']);
    expect(numbers((await list(`buyer=${encodeURIComponent('%')}`)).body)).toEqual(['F-4']);
    expect(numbers((await list('buyer=_')).body)).toEqual([]);
  });

  it('filters by inclusive issue date bounds, alone or with the buyer', async () => {
    expect(numbers((await list('issuedFrom=2026-10-14&issuedTo=2026-11-02')).body)).toEqual(['F-2', 'F-3']);
    expect(numbers((await list('issuedFrom=2026-11-01')).body)).toEqual(['F-3', 'F-4']);
    expect(numbers((await list('issuedTo=2026-10-01')).body)).toEqual(['F-1']);
    expect(numbers((await list('buyer=transilvania&issuedFrom=2026-11-01')).body)).toEqual(['F-3']);
    expect(numbers((await list('state=draft&issuedTo=2026-10-31&limit=1')).body)).toHaveLength(1);
    expect((await list('state=draft&issuedTo=2026-10-31&limit=1')).body.total).toBe(2);
  });

  it('refuses malformed dates and overlong buyer texts with 400 problem+json', async () => {
    for (const q of ['issuedFrom=2026-13-01', 'issuedTo=14.10.2026', 'issuedFrom=2026-02-30', `buyer=${'x'.repeat(101)}`]) {
      const r = await list(q);
      expect(r.status, q).toBe(400);
      expect(r.body.code, q).toBe('INVALID_QUERY_PARAMETER');
    }
  });
});
