import { defineConfig } from 'vitest/config';

// Test layers (STYLE.md): unit (lib, cli) and contract (each function served by
// functions-framework); integration and e2e join with the local runtime.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'cli/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['functions/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'cli/**/*.ts', 'functions/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test-helpers/**', 'functions/*/index.ts'],
      reporter: ['text-summary', 'lcov', 'cobertura'],
      reportsDirectory: 'coverage',
    },
  },
});
