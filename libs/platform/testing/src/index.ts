export * from './env.js';
export * from './vhost.js';
export * from './database.js';
export * from './s3.js';
export * from './conformance.js';
