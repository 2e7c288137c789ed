import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the whole workspace, three projects:
 * - `unit`: `*.spec.ts` (pure logic, fast, parallel);
 * - `integration`: `*.integration.spec.ts` and `*.e2e.spec.ts` against the real PostgreSQL, RabbitMQ,
 *   S3 server, dev identity server and ANAF simulator (see README); limited parallelism for 2 cores;
 * - `serial`: `*.serial.e2e.spec.ts`, tests that disturb shared services (e.g. restart RabbitMQ); they run
 *   alone, after the other projects (`sequence.groupOrder`).
 */
export default defineConfig({
  test: {
    reporters: ['default', './tools/scripts/count-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs,tools}/**/src/**/*.spec.ts'],
          exclude: ['**/*.integration.spec.ts', '**/*.e2e.spec.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs,tools}/**/src/**/*.integration.spec.ts', '{apps,libs,tools}/**/src/**/*.e2e.spec.ts'],
          exclude: ['**/node_modules/**', '**/*.serial.e2e.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: ['{apps,libs,tools}/**/src/**/*.serial.e2e.spec.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
