import { describe, expect, it } from 'vitest';
import { ApiProblem, problemFromBody, problemFromResponse } from './problem.js';

describe('problemFromBody', () => {
  it('keeps a problem+json body with its code, detail, traceId and field errors', () => {
    const body = JSON.stringify({
      type: 'https://cetate.dev/problems/user-exists',
      title: 'User exists',
      status: 409,
      detail: 'a user with username ana or the same email already exists',
      code: 'USER_EXISTS',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
    const p = problemFromBody(409, 'Conflict', body);
    expect(p).toMatchObject({ status: 409, code: 'USER_EXISTS', traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(new ApiProblem(p).message).toBe('a user with username ana or the same email already exists');
  });

  it('makes HTTP_<status> of a body that is not a problem (a gateway page), with its text as detail', () => {
    expect(problemFromBody(502, 'Bad Gateway', '<html>upstream down</html>')).toEqual({
      title: 'Bad Gateway',
      status: 502,
      code: 'HTTP_502',
      detail: '<html>upstream down</html>',
    });
    expect(problemFromBody(404, '', '')).toEqual({ title: 'HTTP 404', status: 404, code: 'HTTP_404' });
    expect(problemFromBody(400, 'Bad Request', '{"message":"x"}').code).toBe('HTTP_400');
  });
});

describe('problemFromResponse', () => {
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
});
