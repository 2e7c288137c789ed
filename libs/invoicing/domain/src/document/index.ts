export { Dec, MONEY_DECIMALS, roundMoney, formatMoney, vatOf } from './money.js';
export * from './totals.js';
export { escapeXml } from './xml-writer.js';
export * from './build-ubl.js';
export * from './summarize-ubl.js';
export * from './demo-invoice.js';
export * from './credit-note.js';
export * from './b2c.js';
export * from './parse-ubl-invoice.js';
