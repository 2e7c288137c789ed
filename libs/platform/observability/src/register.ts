/**
 * Side-effect entry: starts telemetry from env before the app's modules load.
 *
 *   node --import tsx --import @opentelemetry/instrumentation/hook.mjs \
 *        --import @cetate/platform-observability/register apps/x/src/main.ts
 *
 * `OTEL_SERVICE_NAME` names the service (default: `cetate`); exporter from `OTEL_EXPORTER_OTLP_ENDPOINT`
 * or `OTEL_TRACES_CONSOLE=1`. Spans are flushed on SIGTERM/SIGINT.
 */
import { initTelemetry } from './telemetry.js';

/** The process-wide telemetry started by this entry. */
export const telemetry = initTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'cetate' });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void telemetry.shutdown().finally(() => process.kill(process.pid, signal));
  });
}
