/**
 * `@cetate/platform-messaging`: typed RabbitMQ messaging for Cetate (ARCHITECTURE §3). See README.md.
 */
export * from './errors.js';
export * from './contracts.js';
export * from './topology.js';
export * from './asyncapi.js';
export * from './connection.js';
export type { PublishMeta, OutgoingMessage } from './message.js';
export { buildMessage } from './message.js';
export * from './publisher.js';
export * from './consumer.js';
export * from './outbox.js';
export * from './inbox.js';
export * from './messaging-schema.migration.js';
export * from './dlq.js';
export * from './dlq-cli.js';
export { injectTraceHeaders, extractTraceContext } from './tracing.js';
