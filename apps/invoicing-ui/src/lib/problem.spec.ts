import { describe, expect, it } from 'vitest';
import { ApiProblem, findingsFromProblem, problemFromResponse } from './problem.js';
import { filenameOf } from './api.js';

describe('problem+json', () => {
  it('reads an RFC 9457 body into a typed ApiProblem', async () => {
    const body = { type: 'https://cetate.dev/problems/invoice-state-conflict', title: 'Invoice state conflict', status: 409, detail: 'accepted', code: 'INVOICE_STATE_CONFLICT', traceId: 'ab'.repeat(16) };
    const p = await problemFromResponse(new Response(JSON.stringify(body), { status: 409, headers: { 'content-type': 'application/problem+json' } }));
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p.status).toBe(409);
    expect(p.code).toBe('INVOICE_STATE_CONFLICT');
    expect(p.problem.traceId).toBe(body.traceId);
  });

  it('a non-problem answer (gateway 502 page) becomes HTTP_<status>', async () => {
    const p = await problemFromResponse(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(p.problem).toMatchObject({ status: 502, code: 'HTTP_502', title: 'Bad Gateway' });
  });

  it('maps VALIDATION_FAILED errors to editor fields with their rule ids', () => {
    const f = findingsFromProblem({
      title: 'Validation failed', status: 400, code: 'VALIDATION_FAILED',
      errors: [
        { path: 'number', message: 'the invoice number must contain at least one digit (CIUS-RO BR-RO-010)' },
        { path: 'lines.1.priceAmount', message: 'price must match ...' },
        { path: '', message: 'whole body' },
      ],
    });
    expect(f).toEqual([
      { path: 'number', field: 'number', ruleId: 'BR-RO-010', message: 'the invoice number must contain at least one digit (CIUS-RO BR-RO-010)' },
      { path: 'lines.1.priceAmount', field: 'lines.1.priceAmount', ruleId: null, message: 'price must match ...' },
      { path: '', field: '', ruleId: null, message: 'whole body' },
    ]);
    expect(findingsFromProblem({ title: 'x', status: 409, code: 'INVOICE_STATE_CONFLICT' })).toEqual([]);
  });

  it('takes the download name from content-disposition', () => {
    expect(filenameOf('attachment; filename="abc-v1.xml"', 'x.xml')).toBe('abc-v1.xml');
    expect(filenameOf(null, 'x.xml')).toBe('x.xml');
  });
});
