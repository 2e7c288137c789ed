export * from './errors.js';
export * from './parsers.js';
export * from './quota.js';
export * from './client.js';
export * from './oauth.js';
export * from './taxpayer.js';
export { bucharestDay, parseAnafTimestamp } from './time.js';
export { unzipBuffer } from './zip.js';
export * from './signature.js';
