export * from './worker-anaf.js';
export * from './submit.processor.js';
export * from './submission.entity.js';
export * from './anaf-token.store.js';
export * from './anaf-token.move.js';
export * from './anaf-token.provider.js';
