export * from './worker-ocr.js';
export * from './ocr-reader.js';
