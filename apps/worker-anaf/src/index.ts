export * from './worker-anaf.js';
