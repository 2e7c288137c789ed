/**
 * Standalone ANAF e-Factura simulator process.
 * Env: `ANAF_SIM_PORT` (default 8095), `ANAF_SIM_HOST` (default 127.0.0.1),
 * `ANAF_SIM_PROCESSING_DELAY_MS` (default 1500). Stops on SIGINT/SIGTERM.
 */
import { startAnafSimulator } from './simulator.js';

const sim = await startAnafSimulator({
  port: Number(process.env['ANAF_SIM_PORT'] ?? 8095),
  host: process.env['ANAF_SIM_HOST'] ?? '127.0.0.1',
  processingDelayMs: Number(process.env['ANAF_SIM_PROCESSING_DELAY_MS'] ?? 1500),
});
console.log(JSON.stringify({ msg: 'anaf-sim listening', url: sim.url, api: `${sim.url}/test/FCTEL/rest` }));
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void sim.close().then(() => process.exit(0));
  });
}
