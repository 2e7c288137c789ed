import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceDir, createTestVhost, readExpectedVerdicts, type TestVhost } from '@cetate/platform-testing';
import { RULE_CATALOGUE } from '@cetate/invoicing-domain';

/**
 * The `cetate` CLI run as a real child process (`node_modules/.bin/tsx tools/cli/src/main.ts ...`, Node
 * from node_modules/.bin first on PATH), checked against ANAF's CIUS-RO 1.0.9 Schematron verdicts of the
 * shared conformance corpus (`expected-cius-ro-1.0.9.tsv`, ro-* rows).
 */
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const conformance = conformanceDir();
const bin = join(root, 'node_modules/.bin');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cetate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      join(bin, 'tsx'),
      ['tools/cli/src/main.ts', ...args],
      { cwd: root, env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const expected = [...readExpectedVerdicts('cius-ro-1.0.9')]
  .filter(([file]) => file.startsWith('invoices/ro-'))
  .map(([file, v]) => ({ file: join(conformance, file), root: v.root, fatal: v.fatal.join(','), warnings: v.warnings.join(',') }));

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { file: string; valid: boolean; documentType: string | null; fatal: string[]; warnings: string[]; error?: { code: string } });

describe('cetate efactura validate (child process)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cetate-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json on the 30 ro-* documents: one line per file, fatal/warnings equal the Schematron verdicts, exit 1', async () => {
    expect(expected).toHaveLength(30);
    const r = await cetate(['efactura', 'validate', '--json', ...expected.map((e) => e.file)]);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.file)).toEqual(expected.map((e) => e.file));
    for (const [i, e] of expected.entries()) {
      const l = lines[i]!;
      expect({ file: l.file, fatal: l.fatal.join(','), warnings: l.warnings.join(','), valid: l.valid, root: l.documentType }).toEqual({
        file: e.file,
        fatal: e.fatal,
        warnings: e.warnings,
        valid: e.fatal === '',
        root: e.root,
      });
    }
    expect(expected.some((e) => e.fatal !== '')).toBe(true);
    expect(r.code).toBe(1);
  }, 60_000);

  it('exit 0 and a readable VALID line when every file is valid', async () => {
    const valid = expected.filter((e) => e.fatal === '').map((e) => e.file);
    expect(valid.length).toBeGreaterThan(1);
    const r = await cetate(['efactura', 'validate', ...valid]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('VALID ')).length).toBe(valid.length);
    expect(r.stdout).toContain(`${valid.length} file(s): ${valid.length} valid, 0 invalid`);
  });

  it('readable mode prints each finding of an invalid file (position, severity, rule, text, xpath)', async () => {
    const mut = expected.find((e) => e.file.endsWith('mut_BR-RO-030.xml'))!;
    const r = await cetate(['efactura', 'validate', mut.file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^INVALID .*mut_BR-RO-030\.xml \(Invoice\)\s+fatal: BR-CO-15, BR-RO-030/m);
    expect(r.stdout).toMatch(/^ {2}\S+ +FATAL +BR-RO-030 /m);
    expect(r.stdout).toMatch(/^ +at \/Invoice/m);
  });

  it('a malformed file is reported invalid with UBL_MALFORMED (no crash), the other files still validated, exit 2 (not UBL)', async () => {
    const bad = join(tmp, 'broken.xml');
    writeFileSync(bad, '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>1</Invoice');
    const good = expected.find((e) => e.fatal === '')!.file;
    const r = await cetate(['efactura', 'validate', '--json', bad, good]);
    const [l1, l2] = jsonLines(r.stdout);
    expect(l1).toMatchObject({ file: bad, valid: false, fatal: ['UBL_MALFORMED'], warnings: [] });
    expect(l2).toMatchObject({ file: good, valid: true, fatal: [] });
    expect(r.stderr).not.toMatch(/unexpected error|at .*\.ts:\d+/);
    expect(r.code).toBe(2);
  });

  it('an unreadable file: clear message, JSON line with FILE_UNREADABLE, exit 2', async () => {
    const missing = join(tmp, 'does-not-exist.xml');
    const r = await cetate(['efactura', 'validate', '--json', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${missing}: no such file`);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ file: missing, valid: false, error: { code: 'FILE_UNREADABLE' } });
  });
});

describe('cetate usage and help (child process)', () => {
  it.each([
    [[] as string[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['efactura'], 'efactura needs a sub-command'],
    [['efactura', 'validate'], 'needs at least one FILE'],
    [['efactura', 'validate', '--bogus', 'x.xml'], "Unknown option '--bogus'"],
    [['efactura', 'send', 'x.xml'], 'needs --tenant SLUG'],
    [['efactura', 'send', '--tenant', 'Not A Slug', 'x.xml'], '--tenant must be a tenant slug'],
    [['rules', 'extra'], 'Unexpected argument'],
    [['dlq', 'replay', 'anaf.efactura.submit'], 'replay needs --id'],
  ])('%j → exit 2 with a message and the usage', async (args, message) => {
    const r = await cetate(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage:');
  });

  it.each([[['--help']], [['efactura', 'validate', '--help']], [['efactura', 'send', '--help']], [['dlq', '--help']], [['rules', '-h']]])(
    '%j → usage on stdout, exit 0',
    async (args) => {
      const r = await cetate(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage:/);
    },
  );
});

describe('cetate rules, efactura send, dlq (child process)', () => {
  let vh: TestVhost;
  beforeAll(async () => {
    vh = await createTestVhost();
  });
  afterAll(async () => {
    await vh?.drop();
  });

  it('rules --json lists the whole catalogue with id, flag, source, terms and the en/ro texts', async () => {
    const r = await cetate(['rules', '--json']);
    expect(r.code).toBe(0);
    const rules = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; flag: string; source: string; terms: string[]; ro: string });
    expect(rules.map((x) => x.id)).toEqual(RULE_CATALOGUE.map((x) => x.id));
    expect(rules.find((x) => x.id === 'BR-RO-001')).toMatchObject({ flag: 'fatal', source: 'CIUS-RO-1.0.9', terms: ['BT-24'] });
    expect(rules.find((x) => x.id === 'BR-RO-001')!.ro).toMatch(/ș|ț|ă|â|î/);
  });

  it('efactura send with the API not reachable says to start the platform, exit 1', async () => {
    const port = await new Promise<number>((ok) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
    });
    const file = expected[0]!.file;
    const r = await cetate(['efactura', 'send', '--tenant', 'demo', '--wait', file], { INVOICING_API_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`invoicing-api is not reachable at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain('start the platform with npm start');
  });

  it('dlq list on an empty DLQ (throwaway vhost) → empty, exit 0; replay of an unknown id → exit 1', async () => {
    const list = await cetate(['dlq', 'list', 'anaf.efactura.submit', '--json'], { AMQP_URL: vh.url });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const replay = await cetate(['dlq', 'replay', 'anaf.efactura.submit', '--id', 'no-such-message'], { AMQP_URL: vh.url });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('not found in the DLQ: no-such-message');
  });
});
