/**
 * Connection settings of the real services the tests use.
 *
 * Source of truth for defaults: README "Environment variables". On this project's machines PostgreSQL
 * (trust auth) and RabbitMQ (guest/guest) run locally; elsewhere point the variables at real servers,
 * or run where Docker exists and let `startWithTestcontainers()` start them.
 */
export const testEnv = {
  /** PostgreSQL admin URL (needs CREATEDB). */
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  /** RabbitMQ URL without a vhost path; tests add their own vhost. */
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};
