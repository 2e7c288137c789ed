export * from './transmission-deadline.js';
