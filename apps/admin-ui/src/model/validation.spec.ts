import { describe, expect, it } from 'vitest';
import { InviteUserBodySchema, TENANT_REALM_ROLES as SERVER_ROLES } from '@cetate/platform-identity';
import { RESERVED_TENANT_SLUGS as SERVER_RESERVED } from '@cetate/platform-provisioning';
import { isValidCif as serverIsValidCif, TENANT_SLUG_PATTERN as SERVER_SLUG } from '@cetate/platform-tenancy';
import {
  CreateTenantFormSchema,
  fieldErrors,
  InviteUserFormSchema,
  isValidCif,
  RESERVED_TENANT_SLUGS,
  TENANT_REALM_ROLES,
  TENANT_SLUG_PATTERN,
} from './validation.js';

const cifs = ['RO14399840', '14399840', ' ro14399840 ', '14399841', '12a', '1', '18', '19', '1234567897', '12345678901', 'RO', '', '0000000000'];

describe('isValidCif', () => {
  it('accepts a valid CUI with and without RO, refuses a wrong control digit and non-digits', () => {
    expect(isValidCif('RO14399840')).toBe(true);
    expect(isValidCif('14399840')).toBe(true);
    expect(isValidCif('14399841')).toBe(false);
    expect(isValidCif('12a')).toBe(false);
    expect(isValidCif('1')).toBe(false);
    expect(isValidCif('12345678901')).toBe(false); // 11 digits
  });

  it('agrees with the server (isValidCif of @cetate/platform-tenancy) on every sample and 2,000 numbers', () => {
    for (const c of cifs) expect([c, isValidCif(c)]).toEqual([c, serverIsValidCif(c)]);
    let valid = 0;
    for (let n = 10; n < 10 + 2_000; n++) {
      const c = String(n * 7919);
      expect([c, isValidCif(c)]).toEqual([c, serverIsValidCif(c)]);
      if (isValidCif(c)) valid++;
    }
    expect(valid).toBeGreaterThan(100); // roughly one in eleven: the sample exercises the accepting branch too
  });
});

describe('constants restated from the server packages', () => {
  it('are the same as the server constants', () => {
    expect([...TENANT_REALM_ROLES]).toEqual([...SERVER_ROLES]);
    expect([...RESERVED_TENANT_SLUGS]).toEqual([...SERVER_RESERVED]);
    expect(TENANT_SLUG_PATTERN.source).toBe(SERVER_SLUG.source);
  });
});

describe('InviteUserFormSchema', () => {
  const samples: unknown[] = [
    { username: 'Maria.Pop', email: 'maria@example.ro', roles: ['user', 'accountant', 'user'] },
    { username: 'ab', email: 'maria@example.ro', roles: ['user'] },
    { username: 'maria pop', email: 'maria@example.ro', roles: ['user'] },
    { username: 'service-account-x', email: 'x@example.ro', roles: ['user'] },
    { username: 'maria', email: 'not-an-email', roles: ['user'] },
    { username: 'maria', email: 'maria@example.ro', roles: [] },
    { username: 'maria', email: 'maria@example.ro', roles: ['platform-operator'] },
    { username: '  ion+test@firma.ro ', email: 'ion@firma.ro', roles: ['tenant-admin'] },
  ];

  it('accepts and refuses exactly what the server schema (InviteUserBodySchema) does, with the same output', () => {
    for (const s of samples) {
      const ours = InviteUserFormSchema.safeParse(s);
      const theirs = InviteUserBodySchema.safeParse(s);
      expect([s, ours.success]).toEqual([s, theirs.success]);
      if (ours.success && theirs.success) expect(ours.data).toEqual(theirs.data);
    }
  });

  it('lower-cases the username, dedups and sorts roles, and names the failing field', () => {
    expect(InviteUserFormSchema.parse(samples[0])).toEqual({ username: 'maria.pop', email: 'maria@example.ro', roles: ['accountant', 'user'] });
    const r = InviteUserFormSchema.safeParse({ username: 'service-account-x', email: 'bad', roles: [] });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toEqual({ username: 'usernameReserved', email: 'email', roles: 'rolesRequired' });
  });
});

describe('CreateTenantFormSchema', () => {
  const ok = { slug: 'acme-srl', displayName: 'Acme SRL', cif: 'RO14399840', admin: { email: 'admin@acme.ro', username: '' } };

  it('accepts a valid form and drops an empty admin username (the server then picks its default)', () => {
    expect(CreateTenantFormSchema.parse(ok)).toEqual({ slug: 'acme-srl', displayName: 'Acme SRL', cif: 'RO14399840', admin: { email: 'admin@acme.ro' } });
    expect(CreateTenantFormSchema.parse({ ...ok, admin: { email: 'a@acme.ro', username: 'ion.pop' } }).admin.username).toBe('ion.pop');
  });

  it('refuses a bad slug, a reserved slug, a wrong CIF control digit, a bad e-mail and a bad admin username', () => {
    const codes = (v: unknown) => {
      const r = CreateTenantFormSchema.safeParse(v);
      return r.success ? {} : fieldErrors(r.error);
    };
    expect(codes({ ...ok, slug: 'Acme' })).toEqual({ slug: 'slugPattern' });
    expect(codes({ ...ok, slug: 'a' })).toEqual({ slug: 'slugPattern' });
    expect(codes({ ...ok, slug: '1acme' })).toEqual({ slug: 'slugPattern' });
    expect(codes({ ...ok, slug: 'platform' })).toEqual({ slug: 'slugReserved' });
    expect(codes({ ...ok, cif: '14399841' })).toEqual({ cif: 'cif' });
    expect(codes({ ...ok, displayName: '  ' })).toEqual({ displayName: 'required' });
    expect(codes({ ...ok, admin: { email: 'nope' } })).toEqual({ 'admin.email': 'email' });
    expect(codes({ ...ok, admin: { email: 'a@acme.ro', username: 'Ion' } })).toEqual({ 'admin.username': 'usernamePattern' });
  });
});
