import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Development default of `DEV_IDENTITY_DB_KEY` (base64 of 32 bytes). Public on purpose: it only keeps
 * a casual `SELECT` from showing secrets; any real deployment sets its own key (or uses Keycloak).
 */
export const DEV_DEFAULT_DB_KEY = Buffer.from('cetate-dev-identity-db-key-32byt').toString('base64');

/**
 * Parses a base64 AES-256 key (`DEV_IDENTITY_DB_KEY`).
 * @throws Error when it does not decode to exactly 32 bytes.
 */
export function parseDbKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`DEV_IDENTITY_DB_KEY must be base64 of 32 bytes, got ${key.length} bytes`);
  return key;
}

/**
 * Authenticated encryption of values stored at rest (private keys, client secrets, oidc-provider
 * payloads): AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per value and a 128-bit tag.
 * Text form: `v1.<iv>.<tag>.<ciphertext>` (base64url parts). `aad` binds a value to its row, so a
 * ciphertext copied to another row does not decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = key;
  }

  /** Encrypts UTF-8 `plain`; `aad` (additional authenticated data) must be given again to decrypt. */
  seal(plain: string, aad = ''): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** Decrypts a {@link seal} output. @throws Error when the text is malformed, the key or `aad` differ, or it was altered. */
  open(sealed: string, aad = ''): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || iv === undefined || tag === undefined || ct === undefined) throw new Error('not a sealed value');
    const d = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  /**
   * Keyed digest (HMAC-SHA-256, hex) of an identifier that is itself a bearer secret (a refresh token
   * or session id): stored instead of the identifier, so the database never holds a usable token.
   */
  digest(value: string): string {
    return createHmac('sha256', this.#key).update(value).digest('hex');
  }
}

/**
 * scrypt cost parameters (RFC 7914): N = 2^15, r = 8, p = 1 (32 MiB). Below the OWASP Password Storage
 * Cheat Sheet's N = 2^17 on purpose: this is a development server, and one hash already costs ~0.3 s on
 * the project's machine (measured, ADR 0013), paid in every tenant provisioning and login.
 */
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * Hashes a password with scrypt (RFC 7914; `node:crypto`), random 16-byte salt. Format:
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` (parameters kept so they can change later).
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** A hash of a password nobody has, compared against for unknown users so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks `password` against a {@link hashPassword} output in constant time. `stored` undefined (unknown
 * user, no password set) still costs one scrypt run and answers false.
 */
export async function verifyPassword(password: string, stored: string | undefined | null): Promise<boolean> {
  const target = stored ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const [alg, n, r, p, salt, hash] = target.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(got, expected) && stored !== undefined && stored !== null;
}
