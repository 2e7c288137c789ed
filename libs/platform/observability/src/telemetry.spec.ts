import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { exporterFromEnv } from './telemetry.js';

describe('exporterFromEnv', () => {
  it('picks OTLP (batch) over console (simple) over none', async () => {
    expect(exporterFromEnv({})).toEqual({ batch: false });
    expect(exporterFromEnv({ OTEL_TRACES_CONSOLE: 'true' })).toEqual({ batch: false });

    const consoleChoice = exporterFromEnv({ OTEL_TRACES_CONSOLE: '1' });
    expect(consoleChoice.batch).toBe(false);
    expect(consoleChoice.exporter).toBeInstanceOf(ConsoleSpanExporter);

    for (const env of [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_CONSOLE: '1' },
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' },
    ]) {
      const otlp = exporterFromEnv(env);
      expect(otlp.batch).toBe(true);
      expect(otlp.exporter).toBeDefined();
      expect(otlp.exporter).not.toBeInstanceOf(ConsoleSpanExporter);
      await otlp.exporter!.shutdown(); // waits for the OTLP module to load, then shuts the real exporter down
    }
  });
});
