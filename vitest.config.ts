import { defineConfig } from 'vitest/config';

// Test layers (STYLE.md): unit (lib, cli, sim, local pieces), contract (each
// function served by functions-framework), integration (real Kafka protocol,
// child processes) and e2e (the whole local system).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'cli/**/*.test.ts', 'sim/**/*.test.ts', 'local/**/*.test.ts', 'knative/**/*.test.ts', 'monitoring/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['functions/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'cli/**/*.ts', 'functions/**/*.ts', 'local/**/*.ts', 'sim/**/*.ts', 'knative/**/*.ts', 'monitoring/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test-helpers/**', 'functions/*/index.ts'],
      reporter: ['text-summary', 'lcov', 'cobertura'],
      reportsDirectory: 'coverage',
    },
  },
});
