import { defineConfig } from 'vitest/config';

// The telephony tests need no database: this config runs them without the workspace globalSetup.
export default defineConfig({
  test: {
    include: ['packages/server/src/telephony/**/*.test.ts'],
    root: new URL('../../../../', import.meta.url).pathname,
    pool: 'forks',
    testTimeout: 20_000,
  },
});
