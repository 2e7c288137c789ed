import { describe, expect, it, vi } from 'vitest';
import { NonRetryableError } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import { TenantNotFoundError, type TenantRecord } from '@cetate/platform-tenancy';
import { messageTenant, withGiveUp } from './worker-messages.js';

const log = { error: vi.fn() } as unknown as Logger;
const retry = { maxAttempts: 3 };

describe('messageTenant', () => {
  const acme = { slug: 'acme' } as TenantRecord;
  const tenantOf = messageTenant({
    bySlug: async (slug) => {
      if (slug === 'acme') return acme;
      if (slug === 'down') throw new Error('registry down');
      throw new TenantNotFoundError(slug);
    },
  });

  it('returns the header tenant when the payload names the same one', async () => {
    await expect(tenantOf('acme', 'acme')).resolves.toBe(acme);
  });
  it('refuses a payload of another tenant than x-tenant-id: TENANT_MISMATCH, not retried', async () => {
    await expect(tenantOf('other', 'acme')).rejects.toMatchObject({ constructor: NonRetryableError, code: 'TENANT_MISMATCH' });
  });
  it('an unknown tenant is TENANT_NOT_FOUND, not retried; another lookup error stays retryable', async () => {
    await expect(tenantOf('ghost', 'ghost')).rejects.toMatchObject({ constructor: NonRetryableError, code: 'TENANT_NOT_FOUND' });
    const err = await tenantOf('down', 'down').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(NonRetryableError);
    expect((err as Error).message).toBe('registry down');
  });
});

describe('withGiveUp', () => {
  it('returns the result and records nothing when the work succeeds', async () => {
    const giveUp = vi.fn(async () => {});
    await expect(withGiveUp(1, retry, async () => 42, giveUp, log)).resolves.toBe(42);
    expect(giveUp).not.toHaveBeenCalled();
  });
  it('a retryable error before the last attempt is rethrown without giving up', async () => {
    const giveUp = vi.fn(async () => {});
    await expect(withGiveUp(2, retry, async () => { throw new Error('ANAF 503'); }, giveUp, log)).rejects.toThrow('ANAF 503');
    expect(giveUp).not.toHaveBeenCalled();
  });
  it('a retryable error on the last attempt gives up with MAX_ATTEMPTS_EXCEEDED and the attempt count', async () => {
    const giveUp = vi.fn(async () => {});
    await expect(withGiveUp(3, retry, async () => { throw new Error('ANAF 503'); }, giveUp, log)).rejects.toThrow('ANAF 503');
    expect(giveUp).toHaveBeenCalledWith('MAX_ATTEMPTS_EXCEEDED', 'gave up after 3 attempts: ANAF 503');
  });
  it('a non-retryable error gives up at once with its own code and message', async () => {
    const giveUp = vi.fn(async () => {});
    const err = new NonRetryableError('no such document', { code: 'DOCUMENT_NOT_FOUND' });
    await expect(withGiveUp(1, retry, async () => { throw err; }, giveUp, log)).rejects.toBe(err);
    expect(giveUp).toHaveBeenCalledWith('DOCUMENT_NOT_FOUND', 'no such document');
  });
  it('a failing giveUp is logged and the original error still wins', async () => {
    const err = new NonRetryableError('bad');
    await expect(withGiveUp(1, retry, async () => { throw err; }, async () => { throw new Error('db gone'); }, log)).rejects.toBe(err);
    expect(log.error).toHaveBeenCalled();
  });
});
