import { describe, expect, it } from 'vitest';
import { DEV_DEFAULT_DB_KEY, hashPassword, parseDbKey, SecretBox, verifyPassword } from './crypto.js';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(parseDbKey(DEV_DEFAULT_DB_KEY));

  it('round-trips, never shows the plaintext, and refuses another key, another aad or an altered value', () => {
    const sealed = box.seal('cetate-api-secret', 'client-secret:1');
    expect(sealed).not.toContain('cetate-api-secret');
    expect(box.open(sealed, 'client-secret:1')).toBe('cetate-api-secret');
    expect(box.seal('x', 'a')).not.toBe(box.seal('x', 'a')); // random IV
    expect(() => box.open(sealed, 'client-secret:2')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 1)).open(sealed, 'client-secret:1')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'client-secret:1')).toThrow();
    expect(() => parseDbKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('digests identifiers with a key (same input, same digest; another key, another digest)', () => {
    expect(box.digest('token-1')).toBe(box.digest('token-1'));
    expect(box.digest('token-1')).not.toBe(new SecretBox(Buffer.alloc(32, 1)).digest('token-1'));
    expect(box.digest('token-1')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('scrypt password hashes', () => {
  it('verifies the right password only; unknown users never match', async () => {
    const hash = await hashPassword('Parola-1');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('Parola-1');
    expect(await verifyPassword('Parola-1', hash)).toBe(true);
    expect(await verifyPassword('parola-1', hash)).toBe(false);
    expect(await verifyPassword('Parola-1', undefined)).toBe(false);
    expect(await verifyPassword('Parola-1', null)).toBe(false);
    expect(await hashPassword('Parola-1')).not.toBe(hash); // random salt
  });
});
