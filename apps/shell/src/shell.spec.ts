import { describe, expect, it } from 'vitest';
import type { ShellManifest } from '@cetate/shared-ui';
import { tenantFromLocation, tenantPickerUrl, tenantShellUrl } from './tenant.js';
import { landingPath, moduleTitle, routePattern, visibleModules } from './navigation.js';
import { ManifestError, manifestUrl, parseManifest } from './manifest.js';
import { sessionClaims } from './auth.js';

/** The manifest of ui-contract.md for tenant `demo`. */
const demo: ShellManifest = {
  tenant: { slug: 'demo', displayName: 'Demo SRL' },
  identity: { url: 'http://127.0.0.1:8090', realm: 'demo', clientId: 'cetate-shell' },
  modules: [
    {
      name: 'invoicing',
      remote: 'invoicing',
      entry: '/remotes/invoicing/mf-manifest.json',
      expose: './App',
      path: '/facturi',
      apiBase: '/api/invoicing',
      roles: ['accountant', 'user', 'tenant-admin'],
      title: { ro: 'Facturi', en: 'Invoices' },
    },
    {
      name: 'admin',
      remote: 'admin',
      entry: '/remotes/admin/mf-manifest.json',
      expose: './App',
      path: '/administrare',
      apiBase: '/api/platform',
      roles: ['tenant-admin'],
      title: { ro: 'Administrare', en: 'Administration' },
    },
  ],
};

describe('tenantFromLocation', () => {
  it('takes the first label of a *.localhost host', () => {
    expect(tenantFromLocation('demo.localhost', '')).toEqual({ slug: 'demo', source: 'host' });
    expect(tenantFromLocation('Platform.LOCALHOST', '')).toEqual({ slug: 'platform', source: 'host' });
    expect(tenantFromLocation('acme-2.localhost.', '?tenant=demo')).toEqual({ slug: 'acme-2', source: 'host' });
  });

  it('falls back to ?tenant= when the host names no tenant', () => {
    expect(tenantFromLocation('localhost', '?tenant=demo')).toEqual({ slug: 'demo', source: 'query' });
    expect(tenantFromLocation('erp.example.ro', 'tenant=Acme')).toEqual({ slug: 'acme', source: 'query' });
    expect(tenantFromLocation('127.0.0.1', '?x=1&tenant=demo')).toEqual({ slug: 'demo', source: 'query' });
  });

  it('ignores candidates that break the slug rule, and then has none', () => {
    expect(tenantFromLocation('localhost', '')).toEqual({ slug: null, source: 'none' });
    expect(tenantFromLocation('erp.example.ro', '')).toEqual({ slug: null, source: 'none' });
    expect(tenantFromLocation('1demo.localhost', '')).toEqual({ slug: null, source: 'none' });
    expect(tenantFromLocation('d.localhost', '?tenant=x_y')).toEqual({ slug: null, source: 'none' });
    expect(tenantFromLocation('9x.localhost', '?tenant=demo')).toEqual({ slug: 'demo', source: 'query' });
    expect(tenantFromLocation('localhost', `?tenant=${'a'.repeat(32)}`)).toEqual({ slug: null, source: 'none' });
  });
});

describe('tenantShellUrl / tenantPickerUrl', () => {
  it('goes to <slug>.localhost on localhost hosts, keeping the port', () => {
    expect(tenantShellUrl('http://localhost:8080/x?tenant=old#h', 'demo')).toBe('http://demo.localhost:8080/');
    expect(tenantShellUrl('http://other.localhost:8080/', 'demo')).toBe('http://demo.localhost:8080/');
  });

  it('uses ?tenant= on other hosts', () => {
    expect(tenantShellUrl('https://erp.example.ro/facturi', 'demo')).toBe('https://erp.example.ro/?tenant=demo');
  });

  it('refuses a bad slug', () => {
    expect(() => tenantShellUrl('http://localhost:8080/', 'Bad Slug')).toThrow(RangeError);
  });

  it('leads back to the picker', () => {
    expect(tenantPickerUrl('http://demo.localhost:8080/facturi?x=1')).toBe('http://localhost:8080/');
    expect(tenantPickerUrl('https://erp.example.ro/facturi?tenant=demo')).toBe('https://erp.example.ro/');
  });
});

describe('navigation from manifest × roles', () => {
  it('shows the accountant only invoicing, the tenant admin both', () => {
    expect(visibleModules(demo, ['accountant', 'user', 'offline_access']).map((m) => m.name)).toEqual(['invoicing']);
    expect(visibleModules(demo, ['tenant-admin']).map((m) => m.name)).toEqual(['invoicing', 'admin']);
  });

  it('shows nothing to a user without a listed role, nor a module with no roles', () => {
    expect(visibleModules(demo, ['default-roles-demo'])).toEqual([]);
    expect(visibleModules({ modules: [{ ...demo.modules[0]!, roles: [] }] }, ['accountant'])).toEqual([]);
  });

  it('lands on the first visible module, or nowhere', () => {
    expect(landingPath(visibleModules(demo, ['tenant-admin']))).toBe('/facturi');
    expect(landingPath(visibleModules({ modules: [...demo.modules].reverse() }, ['tenant-admin']))).toBe('/administrare');
    expect(landingPath([])).toBeNull();
  });

  it('mounts a module under <path>/* and names it in the UI language', () => {
    expect(routePattern({ path: '/facturi' })).toBe('/facturi/*');
    expect(routePattern({ path: '/facturi/' })).toBe('/facturi/*');
    expect(moduleTitle(demo.modules[1]!, 'ro')).toBe('Administrare');
    expect(moduleTitle(demo.modules[1]!, 'en')).toBe('Administration');
    expect(moduleTitle(demo.modules[1]!, 'de')).toBe('Administrare');
  });
});

describe('parseManifest', () => {
  it('accepts the contract shape', () => {
    expect(parseManifest(JSON.parse(JSON.stringify(demo)))).toEqual(demo);
    expect(manifestUrl('demo')).toBe('/api/platform/v1/shell/manifest?tenant=demo');
  });

  it('refuses other shapes with MANIFEST_INVALID', () => {
    const broken = { ...demo, modules: [{ ...demo.modules[0]!, expose: 'App' }] };
    expect(() => parseManifest(broken)).toThrow(ManifestError);
    expect(() => parseManifest(broken)).toThrow(/modules\.0\.expose/);
    expect(() => parseManifest({ ...demo, identity: { ...demo.identity, url: 'not a url' } })).toThrow(/identity\.url/);
    expect(() => parseManifest({ ...demo, modules: [{ ...demo.modules[0]!, remote: 'in-voicing' }] })).toThrow(/remote/);
  });

  it('refuses two modules with one remote or one path', () => {
    const twice = { ...demo, modules: [demo.modules[0]!, { ...demo.modules[1]!, path: '/facturi' }] };
    try {
      parseManifest(twice);
      expect.unreachable();
    } catch (error) {
      expect((error as ManifestError).code).toBe('MANIFEST_INVALID');
      expect((error as Error).message).toContain('two modules with path /facturi');
    }
  });
});

describe('sessionClaims', () => {
  it('reads preferred_username and realm_access.roles of a Keycloak access token', () => {
    expect(sessionClaims({ preferred_username: 'ana.contabil', realm_access: { roles: ['accountant', 'user', 7] } })).toEqual({
      username: 'ana.contabil',
      roles: ['accountant', 'user'],
    });
    expect(sessionClaims(undefined)).toEqual({ username: '', roles: [] });
  });
});
