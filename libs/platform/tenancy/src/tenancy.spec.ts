import { describe, expect, it } from 'vitest';
import {
  NoTenantContextError,
  currentTenant,
  isValidCif,
  maybeCurrentTenant,
  runInTenant,
  tenantBucket,
  tenantDbName,
  tenantRefFromSlug,
} from './index.js';

describe('tenant naming', () => {
  it('derives database and bucket names from the slug', () => {
    expect(tenantDbName('acme-srl')).toBe('tenant_acme_srl');
    expect(tenantBucket('acme-srl')).toBe('cetate-acme-srl');
    expect(() => tenantDbName('Acme')).toThrow(/slug/);
    expect(() => tenantDbName('a')).toThrow();
    expect(() => tenantDbName('1abc')).toThrow();
    expect(() => tenantDbName('a'.repeat(32))).toThrow();
  });

  it('checks the Romanian CUI control digit', () => {
    expect(isValidCif('RO14399840')).toBe(true);
    expect(isValidCif('14399840')).toBe(true);
    expect(isValidCif('14399841')).toBe(false);
    expect(isValidCif('12a')).toBe(false);
  });
});

describe('TenantContext', () => {
  it('throws outside a tenant and isolates concurrent flows', async () => {
    expect(() => currentTenant()).toThrow(NoTenantContextError);
    expect(maybeCurrentTenant()).toBeUndefined();
    const seen: string[] = [];
    const flow = (slug: string, delays: number[]) =>
      runInTenant(tenantRefFromSlug(slug), async () => {
        for (const d of delays) {
          await new Promise((r) => setTimeout(r, d));
          seen.push(`${slug}:${currentTenant().slug}`);
          await Promise.resolve();
          expect(currentTenant().dbName).toBe(tenantDbName(slug));
        }
        return currentTenant().slug;
      });
    const results = await Promise.all([flow('aa', [5, 1, 7, 2]), flow('bb', [1, 6, 1, 5]), flow('cc', [3, 3, 3, 3])]);
    expect(results).toEqual(['aa', 'bb', 'cc']);
    expect(seen).toHaveLength(12);
    for (const s of seen) expect(s.split(':')[0]).toBe(s.split(':')[1]);
    expect(maybeCurrentTenant()).toBeUndefined();
  });
});
