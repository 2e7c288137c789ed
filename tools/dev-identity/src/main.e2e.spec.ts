import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
});

describe('dev-identity main.ts (standalone process)', () => {
  it('starts with the default seed on DEV_IDENTITY_PORT and serves realms demo and platform', async () => {
    child = spawn(`${root}node_modules/.bin/tsx`, ['tools/dev-identity/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DEV_IDENTITY_PORT: '0', DEV_IDENTITY_SEED: '' },
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
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
