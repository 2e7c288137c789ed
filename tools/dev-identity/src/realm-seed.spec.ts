import { describe, expect, it } from 'vitest';
import { parseRealmSeed } from './realm-seed.js';
import { redirectUriMatches, stableUuid } from './realm.js';

describe('realm seed validation', () => {
  it('accepts the documented shape and rejects invalid clients', () => {
    expect(parseRealmSeed({ realm: 'demo', clients: [], users: [] }).realm).toBe('demo');
    expect(() => parseRealmSeed({ realm: 'demo', clients: [{ clientId: 'c', grants: ['client_credentials'] }], users: [] })).toThrow(/clientSecret/);
    expect(() =>
      parseRealmSeed({ realm: 'demo', clients: [{ clientId: 'c', public: true, grants: ['client_credentials'] }], users: [] }),
    ).toThrow(/public client/);
    expect(() =>
      parseRealmSeed({ realm: 'demo', clients: [{ clientId: 'c', public: true, grants: ['authorization_code'] }], users: [] }),
    ).toThrow(/redirect URI/);
    expect(() => parseRealmSeed({ realm: '../x', clients: [], users: [] })).toThrow();
  });
});

describe('redirectUriMatches (Keycloak wildcard redirect URIs)', () => {
  it('matches exact URIs and * prefixes only', () => {
    expect(redirectUriMatches('http://127.0.0.1:4200/*', 'http://127.0.0.1:4200/callback?x=1')).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1:4200/*', 'http://127.0.0.1:4201/callback')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1:4200/*', 'http://127.0.0.1:4200.evil.example/')).toBe(false);
    expect(redirectUriMatches('http://a/cb', 'http://a/cb')).toBe(true);
    expect(redirectUriMatches('http://a/cb', 'http://a/cb2')).toBe(false);
  });
});

describe('stableUuid', () => {
  it('is deterministic, UUID-shaped and differs per input', () => {
    expect(stableUuid('demo:admin')).toBe(stableUuid('demo:admin'));
    expect(stableUuid('demo:admin')).not.toBe(stableUuid('platform:admin'));
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
