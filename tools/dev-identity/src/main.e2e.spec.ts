import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let child: ChildProcess | undefined;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('cetate_test_idp');
});
afterAll(async () => {
  if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
  await db?.drop();
});

describe('dev-identity main.ts (standalone process)', () => {
  it('starts with the default seed on DEV_IDENTITY_PORT and serves realms demo and platform', async () => {
    child = spawn(`${root}node_modules/.bin/tsx`, ['tools/dev-identity/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DEV_IDENTITY_PORT: '0', DEV_IDENTITY_SEED: '', DEV_IDENTITY_DATABASE_URL: db.url, DEV_IDENTITY_ADMIN_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 30_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    for (const realm of ['demo', 'platform']) {
      const d = (await (await fetch(`${url}/realms/${realm}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(d.issuer).toBe(`${url}/realms/${realm}`);
    }
    // The admin API answers with the default provisioner secret (DEV_IDENTITY_ADMIN_SECRET unset).
    const token = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=cetate-provisioner&client_secret=cetate-provisioner-secret',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const realms = (await (await fetch(`${url}/admin/realms`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as { realm: string }[];
    expect(realms.map((r) => r.realm)).toEqual(['demo', 'master', 'platform']);
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
