import type { EntityManager } from 'typeorm';

/** What the repositories run SQL on: a DataSource, or the EntityManager of the caller's transaction. */
export type Queryable = Pick<EntityManager, 'query'>;
