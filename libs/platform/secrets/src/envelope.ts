import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretStoreError } from './secret-store.errors.js';

/**
 * AES-256-GCM sealing (NIST SP 800-38D) with node:crypto, the one primitive of the local keyring.
 *
 * Sealed layout (bytes): `version (1, = 0x01) | IV (12, random) | ciphertext (n) | tag (16)`.
 * The 96-bit IV is random per seal (SP 800-38D §8.2.2: at most 2^32 seals per key; a tenant data key
 * seals one value per `put`, far below). `aad` (additional authenticated data) binds the ciphertext to
 * where it belongs: opening with another `aad` fails.
 */
export const SEAL_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes of an AES-256 key. */
export const KEY_BYTES = 32;

/** Encrypts `plaintext` under the 32-byte `key`, authenticating `aad` too. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, body, cipher.getAuthTag()]);
}

/**
 * Decrypts a {@link seal}ed buffer. `what` names it in the error (never the content).
 * @throws SecretStoreError `SECRET_DECRYPT_FAILED` (500) when the layout, the key, the tag or the `aad`
 * does not match (tampered bytes, a row moved to another tenant or path, a wrong key).
 */
export function open(key: Buffer, sealed: Buffer, aad: string, what: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEAL_VERSION) {
    throw new SecretStoreError('SECRET_DECRYPT_FAILED', `${what}: not a sealed value of version ${SEAL_VERSION}`);
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (err) {
    throw new SecretStoreError('SECRET_DECRYPT_FAILED', `${what}: does not authenticate (tampered, moved, or another key)`, { cause: err });
  }
}
