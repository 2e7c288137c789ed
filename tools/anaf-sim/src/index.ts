export { startAnafSimulator, type AnafSimulator, type AnafSimulatorOptions } from './simulator.js';
export { FAULT_KINDS_BY_ENDPOINT, faultProblem } from './types.js';
export type {
  BuyerMessageInput,
  Fault,
  FaultControl,
  FaultEndpoint,
  FaultKind,
  OAuthStats,
  SeededInvoice,
  SeedInboxOptions,
  SimLimits,
  SimMessage,
  SimValidationResult,
  SimValidator,
  TaxpayerCall,
} from './types.js';
export { defaultSigningMaterial, signDetached, SIMULATOR_CERT_PATH, type SigningMaterial } from './signing.js';
export { bucharestDay, anafTimestamp } from './time.js';
export { NS_RASP, raspXml, readRasp, TIP_MESAJ_PRIMIT, TIP_MESAJ_TRANSMIS, type RaspMessage } from './rasp.js';
export {
  cuiCheckDigit,
  defaultTaxpayers,
  isValidCui,
  makeCui,
  normaliseTaxpayer,
  taxpayerAsOf,
  TAXPAYERS_FIXTURE_PATH,
  type AnafTaxpayerRecord,
  type SimTaxpayerInput,
} from './taxpayers.js';
export { seedInvoiceDocument, seedSellers, type SeedSeller } from './seed.js';
