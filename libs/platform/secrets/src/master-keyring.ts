import { hkdfSync } from 'node:crypto';
import { createLogger } from '@cetate/platform-observability';
import { KEY_BYTES } from './envelope.js';
import { SecretStoreError } from './secret-store.errors.js';

/** A master key: an id (stored next to every data key it wraps) and 32 bytes. */
export interface MasterKey {
  /** `[A-Za-z0-9._-]{1,64}`, e.g. `k1`, `2026-01`. */
  id: string;
  key: Buffer;
}

/** Key id of the development master key used when `CETATE_MASTER_KEY` is unset. */
export const DEV_MASTER_KEY_ID = 'dev-insecure';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The DEVELOPMENT master key: HKDF-SHA256 (RFC 5869) of a constant written in this file, so it is the
 * same on every machine and protects NOTHING. It exists only so that `npm start` works on a fresh clone;
 * any deployment sets `CETATE_MASTER_KEY`.
 */
export function devMasterKey(): MasterKey {
  const key = Buffer.from(hkdfSync('sha256', 'cetate-dev-master-key: public, never use in production', 'cetate', 'local-keyring master key v1', KEY_BYTES));
  return { id: DEV_MASTER_KEY_ID, key };
}

let devWarningLogged = false;

/**
 * The master keys of the local keyring: `current` wraps new and rotated data keys; `previous` only
 * unwrap (during a rotation). Built by {@link MasterKeyring.fromEnv}.
 */
export class MasterKeyring {
  private readonly byId = new Map<string, Buffer>();

  constructor(
    readonly current: MasterKey,
    previous: readonly MasterKey[] = [],
  ) {
    for (const k of [current, ...previous]) {
      if (!KEY_ID.test(k.id)) throw misconfigured(`master key id ${JSON.stringify(k.id)} must match ${KEY_ID.source}`);
      if (k.key.length !== KEY_BYTES) throw misconfigured(`master key ${k.id} must be ${KEY_BYTES} bytes, got ${k.key.length}`);
      if (this.byId.has(k.id)) throw misconfigured(`master key id ${k.id} given twice`);
      this.byId.set(k.id, k.key);
    }
  }

  /** True when the current key is the public development key. */
  get isDevKey(): boolean {
    return this.current.id === DEV_MASTER_KEY_ID;
  }

  /** Ids of every key this ring can unwrap with (current first). */
  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** The key of `id`, or `undefined` when this ring was not given it. */
  get(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /**
   * Reads the master keys from the environment:
   * - `CETATE_MASTER_KEY`: base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`);
   * - `CETATE_MASTER_KEY_ID`: its id, default `k1`;
   * - `CETATE_MASTER_KEYS_OLD`: previous keys, still read during a rotation: `id:base64,id:base64`; the
   *   bare entry `dev-insecure` stands for the development key (to rotate away from it).
   * When `CETATE_MASTER_KEY` is unset or empty, the DEVELOPMENT key ({@link devMasterKey}, id
   * `dev-insecure`) is used and a warning is logged once per process; with `NODE_ENV=production` that
   * is refused.
   * @throws SecretStoreError `SECRET_STORE_MISCONFIGURED` (500) on a malformed variable.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): MasterKeyring {
    const previous = parseOldKeys(env.CETATE_MASTER_KEYS_OLD ?? '');
    if (!env.CETATE_MASTER_KEY) {
      if (env.NODE_ENV === 'production') {
        throw misconfigured('CETATE_MASTER_KEY is unset and NODE_ENV=production: refusing the public development master key');
      }
      if (!devWarningLogged) {
        devWarningLogged = true;
        createLogger('platform-secrets').warn(
          { masterKeyId: DEV_MASTER_KEY_ID },
          'CETATE_MASTER_KEY is unset: using the PUBLIC DEVELOPMENT master key (dev-insecure); secrets are NOT protected. Set CETATE_MASTER_KEY (openssl rand -base64 32) outside development.',
        );
      }
      return new MasterKeyring(devMasterKey(), previous.filter((k) => k.id !== DEV_MASTER_KEY_ID));
    }
    const current = { id: env.CETATE_MASTER_KEY_ID || 'k1', key: decodeKey(env.CETATE_MASTER_KEY, 'CETATE_MASTER_KEY') };
    return new MasterKeyring(current, previous.filter((k) => k.id !== current.id));
  }
}

function parseOldKeys(raw: string): MasterKey[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry === DEV_MASTER_KEY_ID) return devMasterKey();
      const i = entry.indexOf(':');
      if (i <= 0) throw misconfigured(`CETATE_MASTER_KEYS_OLD entry must be id:base64 (or ${DEV_MASTER_KEY_ID})`);
      return { id: entry.slice(0, i), key: decodeKey(entry.slice(i + 1), `CETATE_MASTER_KEYS_OLD (${entry.slice(0, i)})`) };
    });
}

function decodeKey(b64: string, name: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  // Buffer.from ignores bad characters: re-encode to check the text really was base64 of 32 bytes.
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== b64.trim().replace(/=+$/, '')) {
    throw misconfigured(`${name} must be the base64 of exactly ${KEY_BYTES} bytes (openssl rand -base64 32)`);
  }
  return key;
}

function misconfigured(message: string): SecretStoreError {
  return new SecretStoreError('SECRET_STORE_MISCONFIGURED', message);
}
