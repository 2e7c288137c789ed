/**
 * Every HTTP endpoint declares who may call it (issue 5 "Authorization"): `@Public()`, or `@Roles(...)` (Keycloak
 * realm roles, any of) and optionally `@RequireRealm(realm)`. This test (1) fails when a handler declares neither,
 * and (2) compares the whole table with `docs/security/endpoint-permissions.txt`, so any permission change shows up
 * as a diff of that file in review. After an intended change: `npm test -- endpoint-permissions -u`.
 */
import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS_API_CONTROLLERS } from '@cetate/documents-api';
import { INVOICING_API_CONTROLLERS } from '@cetate/invoicing-api';
import { PLATFORM_API_CONTROLLERS } from '@cetate/platform-api';
import { IS_PUBLIC_KEY, REALM_KEY, ROLES_KEY } from '@cetate/platform-identity';

interface Endpoint {
  app: string;
  method: string;
  path: string;
  access: string;
}

const joinPath = (...parts: Array<string | undefined>) =>
  '/' + parts.filter((p) => p !== undefined && p !== '' && p !== '/').map((p) => p!.replace(/^\/|\/$/g, '')).join('/');

/** The handler's declaration wins over the controller's (Nest `getAllAndOverride`). */
function meta<T>(key: string, handler: object, cls: object): T | undefined {
  return (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, cls) as T | undefined);
}

function endpoints(app: string, controllers: Array<new (...args: never[]) => unknown>): Endpoint[] {
  const out: Endpoint[] = [];
  for (const cls of controllers) {
    const base = Reflect.getMetadata(PATH_METADATA, cls) as string | undefined;
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      if (name === 'constructor') continue;
      const handler = (cls.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const isPublic = meta<boolean>(IS_PUBLIC_KEY, handler, cls) === true;
      const roles = meta<string[]>(ROLES_KEY, handler, cls);
      const realm = meta<string>(REALM_KEY, handler, cls);
      const access = isPublic
        ? 'public'
        : roles?.length
          ? `roles ${[...roles].sort().join('|')}${realm ? ` in realm ${realm}` : ''}`
          : 'UNDECLARED';
      out.push({ app, method: RequestMethod[method], path: joinPath(base, path), access: `${access}  (${cls.name}.${name})` });
    }
  }
  return out;
}

const all = [
  ...endpoints('invoicing-api', INVOICING_API_CONTROLLERS),
  ...endpoints('platform-api', PLATFORM_API_CONTROLLERS),
  ...endpoints('documents-api', DOCUMENTS_API_CONTROLLERS),
].sort(
  (a, b) => a.app.localeCompare(b.app) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
);

describe('endpoint permissions', () => {
  it('finds the endpoints of every API', () => {
    expect(all.filter((e) => e.app === 'invoicing-api').length).toBeGreaterThanOrEqual(8);
    expect(all.filter((e) => e.app === 'platform-api').length).toBeGreaterThanOrEqual(10);
    expect(all.filter((e) => e.app === 'documents-api').length).toBeGreaterThanOrEqual(9);
  });

  it('every endpoint declares @Public() or @Roles(...)', () => {
    expect(all.filter((e) => e.access.startsWith('UNDECLARED')).map((e) => `${e.app} ${e.method} ${e.path}`)).toEqual([]);
  });

  it('operator endpoints require realm platform', () => {
    const tenants = all.filter((e) => e.path.startsWith('/v1/tenants'));
    expect(tenants.length).toBeGreaterThan(0);
    for (const e of tenants) expect(e.access).toMatch(/^roles platform-operator in realm platform /);
  });

  it('matches docs/security/endpoint-permissions.txt (a permission change is a reviewed diff)', async () => {
    const table = all.map((e) => `${e.app.padEnd(14)} ${e.method.padEnd(7)} ${e.path.padEnd(34)} ${e.access}`).join('\n') + '\n';
    await expect(table).toMatchFileSnapshot('../../../docs/security/endpoint-permissions.txt');
  });
});
