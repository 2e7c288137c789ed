import type { EntityManager } from 'typeorm';

/** What the repositories run SQL on: a DataSource, or the EntityManager of the caller's transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The rows of a `query()` result. TypeORM's PostgreSQL driver answers `UPDATE`/`DELETE ... RETURNING` with
 * `[rows, affectedCount]` and every other statement with the rows themselves.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
