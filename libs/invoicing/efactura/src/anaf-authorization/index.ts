export * from './anaf-authorization.errors.js';
export * from './anaf-authorization.service.js';
export * from './anaf-company.repository.js';
