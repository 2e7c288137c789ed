import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { seedFileSchema, type RealmSeed } from './realm-seed.js';

/** Absolute path of the default seed (`src/seed/demo.json`: realms `demo` and `platform`). */
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./seed/demo.json', import.meta.url));

/**
 * Reads a seed file `{ "realms": RealmSeed[] }` (JSON). Throws on I/O errors, `SyntaxError` on bad
 * JSON and `ZodError` on an invalid shape.
 */
export async function loadSeedFile(path: string = DEFAULT_SEED_PATH): Promise<RealmSeed[]> {
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  return seedFileSchema.parse(json).realms;
}
