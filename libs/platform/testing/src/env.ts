/**
 * Connection settings of the real services the tests use.
 *
 * Source of truth for defaults: README "Environment variables". The harness never starts PostgreSQL or
 * RabbitMQ itself: it uses the servers these variables name (on this project's machines PostgreSQL with
 * trust auth and RabbitMQ with guest/guest run locally; elsewhere point the variables at real servers).
 * Testcontainers is not wired in. Only S3 is started in-process, by `startEmbeddedS3()`.
 */
export const testEnv = {
  /** PostgreSQL admin URL (needs CREATEDB). */
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  /** RabbitMQ URL without a vhost path; tests add their own vhost. */
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};
