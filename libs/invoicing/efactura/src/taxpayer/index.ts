export * from './call-slot.js';
export * from './taxpayer-lookup.js';
export * from './taxpayer-view.js';
export * from './taxpayer-lookup.factory.js';
export { AnafPublicTaxpayerCache1765450000000 } from './migrations/1765450000000-anaf-public-taxpayer-cache.js';
