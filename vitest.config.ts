import { defineConfig } from 'vitest/config';

// Test layers (STYLE.md): unit now; contract, integration and e2e join as the
// functions and the local runtime land.
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
    ],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'cli/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test-helpers/**'],
      reporter: ['text-summary', 'lcov', 'cobertura'],
      reportsDirectory: 'coverage',
    },
  },
});
