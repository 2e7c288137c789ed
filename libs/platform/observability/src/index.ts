export * from './telemetry.js';
export * from './http-tracing.js';
export * from './logger.js';
export * from './errors.js';
export * from './problem-details.filter.js';
export * from './nest-http.js';
