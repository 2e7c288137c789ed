import type { DataSource } from 'typeorm';

/**
 * Paces calls to one ANAF endpoint across every process that shares a PostgreSQL database: row `name` of
 * `anaf_public.call_slot` holds `next_at`, the earliest instant the next call may be sent. {@link run} takes the row
 * with `SELECT ... FOR UPDATE` (callers of other processes wait on the row lock; callers of this process wait in
 * line first, so a process holds at most one connection for it), sleeps until `next_at`, makes the call, and sets
 * `next_at` = the end of the call + `intervalMs` before committing. So the next call leaves at least `intervalMs`
 * after the previous one was answered, hence arrives at least `intervalMs` after it (a slow first request cannot
 * bunch two calls together), whatever the hosts' clocks (every instant is PostgreSQL's `clock_timestamp()`).
 * Source of the 1 call per second: ANAF-EFACTURA.md "Taxpayer lookup (v9)".
 */
export class PostgresCallSlot {
  private line: Promise<unknown> = Promise.resolve();

  /**
   * @param ds an initialised DataSource on the database holding `anaf_public.call_slot`
   * @param name the paced endpoint, e.g. `PlatitorTvaRest`
   * @param intervalMs time between the end of one call and the start of the next, ms (> 0)
   * @param sleep waits `ms` (tests)
   */
  constructor(
    private readonly ds: DataSource,
    readonly name: string,
    readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be > 0 (got ${intervalMs})`);
  }

  /**
   * Runs `call` in the next slot: after every earlier call (any process) ended more than `intervalMs` ago.
   * `next_at` moves on whether `call` resolves or throws (a refused call counts at ANAF too); when this process dies
   * during the call, the transaction rolls back and the next caller may go at once.
   * @returns what `call` returns. @throws what `call` throws, or the PostgreSQL error (then `call` did not run).
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    const turn = this.line.then(() => this.locked(call));
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private async locked<T>(call: () => Promise<T>): Promise<T> {
    await this.ds.query(`INSERT INTO anaf_public.call_slot (name, next_at) VALUES ($1, to_timestamp(0)) ON CONFLICT (name) DO NOTHING`, [this.name]);
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      try {
        const rows: Array<{ wait_ms: number }> = await qr.query(
          `SELECT greatest(0, extract(epoch FROM (next_at - clock_timestamp())) * 1000)::float8 AS wait_ms
             FROM anaf_public.call_slot WHERE name = $1 FOR UPDATE`,
          [this.name],
        );
        const wait = Math.ceil(Number(rows[0]?.wait_ms ?? 0));
        if (wait > 0) await this.sleep(wait);
        try {
          return await call();
        } finally {
          await qr.query(`UPDATE anaf_public.call_slot SET next_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000) WHERE name = $1`, [
            this.name,
            this.intervalMs,
          ]);
          await qr.commitTransaction();
        }
      } catch (err) {
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await qr.release();
    }
  }
}
