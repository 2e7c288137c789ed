import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates schema `anaf_public` in the platform database (`cetate_platform`) for ANAF's public data, the same for every
 * tenant (ANAF-EFACTURA.md "Taxpayer lookup (v9)"):
 * - `anaf_public.taxpayer_cache`: one row per (cui, date) asked of `PlatitorTvaRest/v9/tva`: `found` false for a CUI
 *   ANAF listed in `notFound` (then `taxpayer` is null), else the parsed `Taxpayer` as JSON; `fetched_at` decides the
 *   24 h freshness;
 * - `anaf_public.call_slot`: one row per paced ANAF endpoint, `next_at` = the earliest instant the next call may be
 *   sent (1 call per second across every process sharing this database).
 * Run by `TaxpayerLookup.open()` with its own migrations table `anaf_public_migrations`.
 */
export class AnafPublicTaxpayerCache1765450000000 implements MigrationInterface {
  name = 'AnafPublicTaxpayerCache1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS anaf_public`);
    await q.query(`CREATE TABLE IF NOT EXISTS anaf_public.taxpayer_cache (
      cui text NOT NULL CHECK (cui ~ '^[0-9]{1,10}$'),
      date date NOT NULL,
      found boolean NOT NULL,
      taxpayer jsonb,
      fetched_at timestamptz NOT NULL,
      PRIMARY KEY (cui, date),
      CHECK (found = (taxpayer IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS taxpayer_cache_fetched_at_idx ON anaf_public.taxpayer_cache (fetched_at)`);
    await q.query(`CREATE TABLE IF NOT EXISTS anaf_public.call_slot (
      name text PRIMARY KEY,
      next_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS anaf_public.call_slot`);
    await q.query(`DROP TABLE IF EXISTS anaf_public.taxpayer_cache`);
  }
}
