import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM migration creating schema `messaging` with the transactional outbox and the consumer inbox
 * (ARCHITECTURE §3: "State change + command are written in one transaction (outbox); consumers record processed
 * message ids (inbox)"). Add it to every tenant DataSource's `migrations`.
 *
 * - `messaging.outbox`: one row per message to publish; `published_at` NULL while pending; `message_id` UNIQUE so
 *   a deterministic id makes enqueueing idempotent; partial index on pending rows for the relay.
 * - `messaging.inbox`: `(consumer, message_id)` primary key = "this consumer already processed this message".
 */
export class MessagingOutboxInbox1732200000000 implements MigrationInterface {
  name = 'MessagingOutboxInbox1732200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS messaging`);
    await queryRunner.query(`
      CREATE TABLE messaging.outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id text NOT NULL,
        exchange text NOT NULL,
        routing_key text NOT NULL,
        headers jsonb NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        CONSTRAINT outbox_message_id_uq UNIQUE (message_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_pending_idx ON messaging.outbox (created_at, id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE messaging.inbox (
        consumer text NOT NULL,
        message_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.inbox`);
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.outbox`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS messaging`);
  }
}
