/**
 * Validates the product chart's values against `helm/cetate/values.schema.json` without a `helm`
 * binary (none on this project's machines): `values.yaml` alone, then each `examples/*.yaml` merged
 * over it the way Helm merges user values (maps merge, everything else replaces).
 *
 *   node tools/scripts/check-helm-values.ts [chart-dir]      # default helm/cetate
 *
 * Uses `ajv` (JSON Schema draft-07, what Helm 3 applies) and `yaml`, both present in node_modules as
 * dependencies of eslint and nx (not declared by the workspace: if they vanish, add them as dev deps).
 * Exit 1 with the schema errors when any file fails. `helm lint` stays the real check where helm exists.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const YAML = require('yaml');

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of user values over chart values: maps merge recursively, `null` deletes. */
function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = merge(out[k] as Json, v);
    else out[k] = v;
  }
  return out;
}

const chart = resolve(process.argv[2] ?? 'helm/cetate');
const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as Json;
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);
const base = YAML.parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Json;

const files: Array<[string, Json]> = [['values.yaml', base]];
const examples = join(chart, 'examples');
if (existsSync(examples)) {
  for (const f of readdirSync(examples).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    files.push([`examples/${f}`, merge(base, (YAML.parse(readFileSync(join(examples, f), 'utf8')) ?? {}) as Json)]);
  }
}

let bad = 0;
for (const [name, values] of files) {
  if (validate(values)) {
    console.log(`ok   ${name}`);
  } else {
    bad++;
    console.log(`FAIL ${name}`);
    for (const e of validate.errors ?? []) {
      const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : '';
      console.log(`     ${e.dataPath || '/'} ${e.message}${extra}`);
    }
  }
}
process.exit(bad ? 1 : 0);
