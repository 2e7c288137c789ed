export * from './ubl/index.js';
export * from './xml/index.js';
export * from './validation/index.js';
export * from './document/index.js';
export * from './state/index.js';
export * from './deadline/index.js';
export * from './inbound/index.js';
