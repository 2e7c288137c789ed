import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the whole workspace, two projects:
 * - `unit`: `*.spec.ts` (pure logic, fast, parallel);
 * - `integration`: `*.integration.spec.ts` and `*.e2e.spec.ts` against the real PostgreSQL, RabbitMQ,
 *   S3 server, dev identity server and ANAF simulator (see README); limited parallelism for 2 cores.
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
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
