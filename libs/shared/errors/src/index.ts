export * from './cetate-error.js';
