/**
 * `@cetate/documents-contracts`: the messages between `documents-api` and `worker-ocr` (zod, with the dependency-free
 * entry of `@cetate/platform-messaging`) and the JSON shapes of the documents API.
 */
export * from './ocr-messages.schema.js';
export * from './ocr.contracts.js';
export * from './document-views.js';
