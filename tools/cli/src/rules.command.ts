import { parseArgs } from 'node:util';
import { RULE_CATALOGUE } from '@cetate/invoicing-domain';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate rules`. */
export const RULES_USAGE = `usage: cetate rules [--json]

Lists every rule the local validator implements, in evaluation order: EN 16931 1.3.8 (UBL binding),
then CIUS-RO 1.0.9 (BR-RO-*).

  --json     one JSON object per line: {"id","flag","source","terms","message","en","ro","meaning"}
  -h, --help this text`;

/**
 * `cetate rules [--json]`: prints `RULE_CATALOGUE`: per rule its id, flag fatal|warning, source, the
 * EN 16931 terms (BT-/BG-) and what it checks (meaning), then a count per source and flag. `--json`
 * adds the specification's message and the en/ro texts of what to change.
 * @returns 0. @throws UsageError on unknown options or arguments.
 */
export function runRules(args: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: false, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) {
    io.out(RULES_USAGE);
    return EXIT.OK;
  }
  if (parsed.values.json) {
    for (const r of RULE_CATALOGUE)
      io.out(JSON.stringify({ id: r.id, flag: r.flag, source: r.source, terms: r.terms, message: r.message, en: r.en, ro: r.ro, meaning: r.meaning }));
    return EXIT.OK;
  }
  const w = Math.max(...RULE_CATALOGUE.map((r) => r.id.length));
  const counts = new Map<string, number>();
  for (const r of RULE_CATALOGUE) {
    io.out(`${r.id.padEnd(w)}  ${r.flag.padEnd(7)}  ${r.source.padEnd(13)}  ${(r.terms.join(',') || '-').padEnd(14)}  ${r.meaning}`);
    const k = `${r.source} ${r.flag}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  io.out(`${RULE_CATALOGUE.length} rules: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  return EXIT.OK;
}
