export * from './env.js';
export * from './vhost.js';
export * from './database.js';
