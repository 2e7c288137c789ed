/** `@cetate/bench`: the benchmark sections and statistics helpers behind `npm run bench`. */
export * from './stats.js';
export { benchValidator, loadCorpus } from './validator.bench.js';
export { benchBuilder, invoiceWithLines } from './builder.bench.js';
export { benchMessaging } from './messaging.bench.js';
export { memory, fullGc, type MemorySnapshot } from './memory.js';
