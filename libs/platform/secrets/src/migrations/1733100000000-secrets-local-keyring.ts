import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates schema `secrets` in `cetate_platform` for the local keyring (ADR 0012):
 * - `secrets.tenant_key`: one row per tenant, its 256-bit data key sealed (AES-256-GCM) by the master key
 *   `master_key_id`; never the key in clear;
 * - `secrets.secret`: one row per (tenant, path), the value sealed by the tenant's data key.
 */
export class SecretsLocalKeyring1733100000000 implements MigrationInterface {
  name = 'SecretsLocalKeyring1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS secrets`);
    await q.query(`CREATE TABLE IF NOT EXISTS secrets.tenant_key (
      tenant text PRIMARY KEY CHECK (tenant ~ '^[a-z][a-z0-9-]{1,30}$'),
      master_key_id text NOT NULL,
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      rewrapped_at timestamptz
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS tenant_key_master_key_idx ON secrets.tenant_key (master_key_id)`);
    await q.query(`CREATE TABLE IF NOT EXISTS secrets.secret (
      tenant text NOT NULL REFERENCES secrets.tenant_key (tenant) ON DELETE CASCADE,
      path text NOT NULL CHECK (path ~ '^[a-z0-9._-]+(/[a-z0-9._-]+)*$'),
      sealed bytea NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, path)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS secrets.secret`);
    await q.query(`DROP TABLE IF EXISTS secrets.tenant_key`);
  }
}
