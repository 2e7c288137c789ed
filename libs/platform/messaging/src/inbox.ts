import type { EntityManager } from 'typeorm';

/** Result of {@link Inbox.once}. */
export type InboxResult<T> = { duplicate: true } | { duplicate: false; result: T };

/**
 * Consumer-side deduplication (ARCHITECTURE §3: "consumers record processed message ids (inbox), so a
 * redelivered message has no second effect"). Needs table `messaging.inbox` (see `MessagingOutboxInbox1732200000000`).
 */
export const Inbox = {
  /**
   * Runs `fn` and records `(consumerName, messageId)` in `messaging.inbox` in the SAME transaction: the id is
   * inserted first (`ON CONFLICT DO NOTHING`), so a concurrent duplicate blocks on the key until the first
   * commits, then sees the conflict. If `fn` throws, the transaction rolls back and the id is not recorded.
   * Uses the caller's transaction when `manager` is inside one, else opens one.
   * @param consumerName stable name of the consumer, e.g. `invoicing-api.efactura-accepted`.
   * @param messageId AMQP `message_id` (`ctx.messageId`).
   * @returns `{ duplicate: true }` without running `fn` when the id was already processed, else `{ duplicate: false, result }`.
   */
  async once<T>(
    manager: EntityManager,
    consumerName: string,
    messageId: string,
    fn: (manager: EntityManager) => Promise<T>,
  ): Promise<InboxResult<T>> {
    const run = async (m: EntityManager): Promise<InboxResult<T>> => {
      const rows: unknown[] = await m.query(
        `INSERT INTO messaging.inbox (consumer, message_id) VALUES ($1, $2)
         ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
        [consumerName, messageId],
      );
      if (rows.length === 0) return { duplicate: true };
      return { duplicate: false, result: await fn(m) };
    };
    if (manager.queryRunner?.isTransactionActive) return run(manager);
    return manager.transaction(run);
  },
};
