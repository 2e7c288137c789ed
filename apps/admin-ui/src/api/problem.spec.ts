import { describe, expect, it } from 'vitest';
import { problemMessageKey } from './problem.js';

describe('problemMessageKey', () => {
  it('uses the code when it has its own message, else the status', () => {
    expect(problemMessageKey({ code: 'USER_SELF_LOCKOUT', status: 409 })).toBe('errors.USER_SELF_LOCKOUT');
    expect(problemMessageKey({ code: 'HTTP_401', status: 401 })).toBe('errors.unauthorized');
    expect(problemMessageKey({ code: 'FORBIDDEN', status: 403 })).toBe('errors.forbidden');
    expect(problemMessageKey({ code: 'HTTP_503', status: 503 })).toBe('errors.server');
    expect(problemMessageKey({ code: 'SOMETHING', status: 418 })).toBe('errors.unknown');
  });
});
