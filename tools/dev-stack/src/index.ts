/**
 * Public surface of `@cetate/dev-stack` for other tools (CLI, tests): only the typed `invoicing-api`
 * HTTP client. The stack launcher itself is run as a script (`npm start`), not imported.
 */
export * from './invoicing-api.client.js';
