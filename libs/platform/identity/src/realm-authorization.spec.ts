import { describe, expect, it } from 'vitest';
import { AuthenticationError, ForbiddenError } from './errors.js';
import { assertAnyRole, extractBearerToken } from './realm-authorization.js';
import { principalFromPayload, RealmTokenVerifier } from './realm-token-verifier.js';

describe('extractBearerToken (RFC 6750 §2.1)', () => {
  it('accepts the Bearer scheme case-insensitively and rejects the rest', () => {
    expect(extractBearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(extractBearerToken('bearer abc')).toBe('abc');
    for (const h of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', ['Bearer a', 'Bearer b']]) {
      expect(() => extractBearerToken(h)).toThrow(AuthenticationError);
    }
  });
});

describe('principalFromPayload (Keycloak claims)', () => {
  it('maps users and service accounts', () => {
    const user = principalFromPayload('demo', {
      sub: 'u-1',
      azp: 'cetate-shell',
      preferred_username: 'ana',
      realm_access: { roles: ['accountant', 42, 'user'] },
    });
    expect(user).toMatchObject({ realm: 'demo', subject: 'u-1', clientId: 'cetate-shell', username: 'ana', serviceAccount: false, roles: ['accountant', 'user'] });
    const svc = principalFromPayload('demo', { sub: 'x', azp: 'cetate-api', preferred_username: 'service-account-cetate-api' });
    expect(svc.serviceAccount).toBe(true);
    expect(svc.username).toBeUndefined();
    expect(svc.roles).toEqual([]);
  });
});

describe('assertAnyRole', () => {
  it('requires one of the roles', () => {
    const p = principalFromPayload('demo', { sub: 'u', realm_access: { roles: ['user'] } });
    expect(() => assertAnyRole(p, ['user', 'accountant'])).not.toThrow();
    expect(() => assertAnyRole(p, [])).not.toThrow();
    expect(() => assertAnyRole(p, ['tenant-admin'])).toThrow(ForbiddenError);
  });
});

describe('RealmTokenVerifier.realmFromIssuer', () => {
  it('accepts only <base>/realms/<realm> exactly', () => {
    const v = new RealmTokenVerifier({ issuerBaseUrl: 'http://127.0.0.1:8090/' });
    expect(v.realmFromIssuer('http://127.0.0.1:8090/realms/demo')).toBe('demo');
    for (const iss of [
      'http://127.0.0.1:8090/realms/demo/',
      'http://127.0.0.1:8090/realms/a/b',
      'http://127.0.0.1:8090/realms/',
      'http://127.0.0.1:8091/realms/demo',
      'https://127.0.0.1:8090/realms/demo',
      'http://127.0.0.1:8090/realms/..',
      42,
      undefined,
    ]) {
      expect(v.realmFromIssuer(iss)).toBeNull();
    }
  });
});
