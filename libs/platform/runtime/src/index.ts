/**
 * `@cetate/platform-runtime`: what every process of a business module starts with: the module runtime
 * (registry, tenant DataSource pool, AMQP, outbox relay, objects), the tenant HTTP API wiring (realm auth,
 * tenant context) and the command-message helpers of the workers.
 */
export * from './module-runtime.js';
export * from './tenant-api.nest.js';
export * from './worker-messages.js';
