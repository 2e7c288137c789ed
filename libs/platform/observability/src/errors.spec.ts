import { describe, expect, it } from 'vitest';
import { BadRequestException, HttpException } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, codeToKebab, toProblemDetails } from './errors.js';

describe('toProblemDetails (RFC 9457)', () => {
  it('kebab-cases codes of every style', () => {
    expect(codeToKebab('TENANT_NOT_FOUND')).toBe('tenant-not-found');
    expect(codeToKebab('TenantNotFound')).toBe('tenant-not-found');
    expect(codeToKebab('efactura.upload_failed')).toBe('efactura-upload-failed');
  });

  it('renders a DomainError with all members', () => {
    const p = toProblemDetails(new DomainError('CIF_INVALID', 'CIF 123 fails the check digit', { status: 422 }), 'a'.repeat(32), '/x');
    expect(p).toEqual({
      type: 'https://cetate.dev/problems/cif-invalid',
      title: 'Cif invalid',
      status: 422,
      detail: 'CIF 123 fails the check digit',
      instance: '/x',
      code: 'CIF_INVALID',
      traceId: 'a'.repeat(32),
    });
  });

  it('maps zod issues to errors[] with dotted paths', () => {
    const r = z.object({ lines: z.array(z.object({ qty: z.number() })) }).safeParse({ lines: [{ qty: 'x' }] });
    const p = toProblemDetails(r.error);
    expect(p.status).toBe(400);
    expect(p.errors).toEqual([{ path: 'lines.0.qty', message: expect.any(String) }]);
  });

  it('keeps 4xx HttpException messages, hides 5xx ones', () => {
    expect(toProblemDetails(new BadRequestException(['a is required', 'b too long'])).errors).toHaveLength(2);
    const p = toProblemDetails(new HttpException('db at 10.0.0.3 down', 503));
    expect(p.status).toBe(503);
    expect(p.detail).not.toContain('10.0.0.3');
  });

  it('maps raw body-parser errors and hides unknown ones', () => {
    expect(toProblemDetails(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 })).status).toBe(413);
    expect(toProblemDetails(Object.assign(new Error('x'), { type: 'charset.unsupported', status: 415 })).status).toBe(415);
    const p = toProblemDetails(new TypeError('cannot read secretKey of undefined'), 'b'.repeat(32));
    expect(p).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(p.detail).not.toContain('secretKey');
    expect(p.detail).toContain('b'.repeat(32));
  });
});
