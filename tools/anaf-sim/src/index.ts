export { startAnafSimulator, type AnafSimulator, type AnafSimulatorOptions } from './simulator.js';
export { FAULT_KINDS_BY_ENDPOINT, faultProblem } from './types.js';
export type { Fault, FaultControl, FaultEndpoint, FaultKind, SimLimits, SimMessage, SimValidationResult, SimValidator } from './types.js';
export { defaultSigningMaterial, signDetached, SIMULATOR_CERT_PATH, type SigningMaterial } from './signing.js';
export { bucharestDay, anafTimestamp } from './time.js';
