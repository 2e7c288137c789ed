import { describe, expect, it } from 'vitest';
import { ApiProblemError, problemFromBody, problemMessageKey } from './problem.js';

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
    expect(new ApiProblemError(p).message).toBe('a user with username ana or the same email already exists');
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

describe('problemMessageKey', () => {
  it('uses the code when it has its own message, else the status', () => {
    expect(problemMessageKey({ code: 'USER_SELF_LOCKOUT', status: 409 })).toBe('errors.USER_SELF_LOCKOUT');
    expect(problemMessageKey({ code: 'HTTP_401', status: 401 })).toBe('errors.unauthorized');
    expect(problemMessageKey({ code: 'FORBIDDEN', status: 403 })).toBe('errors.forbidden');
    expect(problemMessageKey({ code: 'HTTP_503', status: 503 })).toBe('errors.server');
    expect(problemMessageKey({ code: 'SOMETHING', status: 418 })).toBe('errors.unknown');
  });
});
