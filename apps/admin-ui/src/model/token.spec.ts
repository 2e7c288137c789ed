import { describe, expect, it } from 'vitest';
import { adminScreens, tokenClaims } from './token.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('tokenClaims', () => {
  it('reads sub, preferred_username, realm roles and the realm of iss', () => {
    const token = `${b64url({ alg: 'RS256' })}.${b64url({
      sub: '6f1c3f6e-8d1b-4c59-9a57-1b0f3c4e2a10',
      preferred_username: 'admin',
      iss: 'http://127.0.0.1:8090/realms/demo',
      realm_access: { roles: ['tenant-admin', 'default-roles-demo', 7] },
      name: 'Ștefan Ăîâșț',
    })}.sig`;
    expect(tokenClaims(token)).toEqual({
      sub: '6f1c3f6e-8d1b-4c59-9a57-1b0f3c4e2a10',
      preferredUsername: 'admin',
      realmRoles: ['tenant-admin', 'default-roles-demo'],
      realm: 'demo',
    });
  });

  it('gives no claims for something that is not a JWS', () => {
    expect(tokenClaims('opaque')).toEqual({ realmRoles: [] });
    expect(tokenClaims('a.!!!.c')).toEqual({ realmRoles: [] });
  });
});

describe('adminScreens', () => {
  it('shows users to tenant admins and tenants to platform operators', () => {
    expect(adminScreens(['tenant-admin', 'user'])).toEqual({ users: true, tenants: false });
    expect(adminScreens(['platform-operator'])).toEqual({ users: false, tenants: true });
    expect(adminScreens(['accountant'])).toEqual({ users: false, tenants: false });
  });
});
