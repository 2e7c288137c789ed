import { NetworkError } from '@keycloak/keycloak-admin-client';
import { describe, expect, it } from 'vitest';
import { IdentityAdminError } from './identity-admin.js';
import { KeycloakIdentityAdmin, identityAdminFromEnv, toIdentityAdminError } from './keycloak-identity-admin.js';
import { InviteUserBodySchema, ListUsersQuerySchema, UpdateUserBodySchema } from './tenant-users.controller.js';

const networkError = (status: number, errorMessage: string) =>
  new NetworkError(errorMessage, { response: new Response(JSON.stringify({ errorMessage }), { status }), responseData: { errorMessage } });

describe('toIdentityAdminError', () => {
  it('keeps 400, 404 and 409 of the admin API with Keycloak errorMessage', () => {
    for (const status of [400, 404, 409]) {
      const e = toIdentityAdminError(networkError(status, 'User exists with same username'), 'invite');
      expect(e).toBeInstanceOf(IdentityAdminError);
      expect(e).toMatchObject({ status, code: 'IDENTITY_ADMIN_FAILED' });
      expect(e.message).toContain('User exists with same username');
      expect(e.detail).toBe(e.message);
    }
  });

  it('turns 401, 403, 5xx, timeouts and transport failures into 502 with a generic detail', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    for (const err of [networkError(401, 'unauthorized'), networkError(403, 'forbidden'), networkError(500, 'boom'), networkError(503, 'x'), timeout, new TypeError('fetch failed')]) {
      const e = toIdentityAdminError(err, 'op');
      expect(e.status).toBe(502);
      expect(e.detail).toBe('The identity server is unavailable or failed; try again later');
      expect(e.cause).toBe(err);
    }
    expect(toIdentityAdminError(networkError(403, 'forbidden'), 'op').message).toContain('admin role');
  });

  it('passes an IdentityAdminError through unchanged', () => {
    const original = new IdentityAdminError('x', 404);
    expect(toIdentityAdminError(original, 'op')).toBe(original);
  });
});

describe('identityAdminFromEnv', () => {
  it('defaults to the dev identity server and cetate-provisioner; empty values count as unset', () => {
    const admin = identityAdminFromEnv({ KEYCLOAK_URL: '', KEYCLOAK_ADMIN_CLIENT_ID: '' });
    expect(admin.kc.baseUrl).toBe('http://127.0.0.1:8090');
    expect(admin.kc.realmName).toBe('master');
    expect(identityAdminFromEnv({ KEYCLOAK_URL: 'https://kc.example/' }).kc.baseUrl).toBe('https://kc.example');
  });

  it('refuses a non-http(s) URL', () => {
    expect(() => new KeycloakIdentityAdmin({ baseUrl: 'ftp://x', clientId: 'a', clientSecret: 'b' })).toThrow(TypeError);
  });
});

describe('v1/users input schemas', () => {
  it('invite: lower-cases and trims the username, dedupes and sorts roles, refuses unknown fields', () => {
    expect(InviteUserBodySchema.parse({ username: ' Ana.Pop ', email: 'ana@x.ro', roles: ['user', 'accountant', 'user'] })).toEqual({
      username: 'ana.pop',
      email: 'ana@x.ro',
      roles: ['accountant', 'user'],
    });
    for (const bad of [
      { username: 'ana', email: 'ana@x.ro', roles: [] },
      { username: 'ana', email: 'ana@x.ro', roles: ['admin'] },
      { username: 'an', email: 'ana@x.ro', roles: ['user'] },
      { username: 'a b c', email: 'ana@x.ro', roles: ['user'] },
      { username: 'Service-Account-x', email: 'ana@x.ro', roles: ['user'] },
      { username: 'ana', email: 'nope', roles: ['user'] },
      { username: 'ana', email: 'ana@x.ro', roles: ['user'], realm: 'other' },
    ]) {
      expect(InviteUserBodySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('update: enabled and/or roles, nothing else', () => {
    expect(UpdateUserBodySchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(UpdateUserBodySchema.parse({ roles: ['user', 'tenant-admin'] })).toEqual({ roles: ['tenant-admin', 'user'] });
    expect(UpdateUserBodySchema.safeParse({}).success).toBe(false);
    expect(UpdateUserBodySchema.safeParse({ enabled: 'false' }).success).toBe(false);
    expect(UpdateUserBodySchema.safeParse({ enabled: true, email: 'x@y.ro' }).success).toBe(false);
  });

  it('list: first >= 0 (default 0), max 1..100 (default 50)', () => {
    expect(ListUsersQuerySchema.parse({})).toEqual({ first: 0, max: 50 });
    expect(ListUsersQuerySchema.parse({ first: '20', max: '10' })).toEqual({ first: 20, max: 10 });
    for (const q of [{ max: '0' }, { max: '101' }, { first: '-1' }, { first: '1.5' }, { realm: 'x' }]) {
      expect(ListUsersQuerySchema.safeParse(q).success, JSON.stringify(q)).toBe(false);
    }
  });
});
