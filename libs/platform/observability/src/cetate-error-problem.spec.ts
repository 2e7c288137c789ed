import { describe, expect, it } from 'vitest';
import { CetateError } from '@cetate/shared-errors';
import { DomainError, toProblemDetails } from './errors.js';

/** ADR 0025: DomainError is a CetateError; only DomainErrors reach clients, every other CetateError is a 500. */
describe('toProblemDetails and the one error base class', () => {
  class InvoiceLockedError extends DomainError {
    constructor() {
      super('INVOICE_LOCKED', 'Invoice 7 is being sent; try again in a minute.', { status: 409 });
    }
  }
  /** Like AnafHttpError: a non-client error carrying a remote's HTTP status and a body that must not leak. */
  class RemoteHttpError extends CetateError {
    constructor(override readonly status: number) {
      super('REMOTE_HTTP', `remote answered HTTP ${status}: secret-body-10.0.0.3`);
    }
  }

  it('a DomainError is a CetateError, keeps its default status 400 and renders as before', () => {
    const e = new DomainError('CIF_INVALID', 'CIF 123 fails the check digit');
    expect(e).toBeInstanceOf(CetateError);
    expect(e.status).toBe(400);
    expect(e.name).toBe('DomainError');
    expect(toProblemDetails(new InvoiceLockedError(), 'c'.repeat(32))).toEqual({
      type: 'https://cetate.dev/problems/invoice-locked',
      title: 'Invoice locked',
      status: 409,
      detail: 'Invoice 7 is being sent; try again in a minute.',
      code: 'INVOICE_LOCKED',
      traceId: 'c'.repeat(32),
    });
  });

  it('any other CetateError is answered 500 INTERNAL_ERROR, whatever its status, without its message', () => {
    for (const err of [new RemoteHttpError(400), new RemoteHttpError(503), new CetateError('TENANT_POOL_DESTROYED', 'pool 10.0.0.3 destroyed', { status: 409 })]) {
      const p = toProblemDetails(err, 'd'.repeat(32), '/v1/invoices');
      expect(p).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', traceId: 'd'.repeat(32), instance: '/v1/invoices' });
      expect(p.detail).not.toContain('10.0.0.3');
    }
  });
});
