export * from './ubl-namespaces.js';
export * from './ubl-parse-error.js';
export * from './ubl-dom.js';
export * from './parse-ubl-document.js';
