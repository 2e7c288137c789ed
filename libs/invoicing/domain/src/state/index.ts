export * from './efactura-state.js';
