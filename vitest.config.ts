import { defineConfig } from 'vitest/config';

// The PostgreSQL pass (CALLINGBOX_TEST_DB=postgres) runs every test that touches a database — the
// integration tests under test/, each of which starts a platform on its engine. Pure unit tests
// (codecs, SDK clients against fakes) do not depend on the engine and run in the first pass only.
const onPostgres = process.env.CALLINGBOX_TEST_DB === 'postgres';
// End-to-end voice calls exercise speech, SIP and providers; the store they touch is covered by the
// other integration tests on PostgreSQL, so they run in the first pass only (they are the slowest).
const VOICE_END_TO_END = ['test/voice-*.test.ts', 'test/demo-conversation.test.ts', 'test/intake-wer.test.ts', 'test/webhooks-crash.test.ts', 'test/sdk-python.test.ts'];

export default defineConfig({
  test: {
    include: onPostgres ? ['test/**/*.test.ts'] : ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'sdk/typescript/test/**/*.test.ts'],
    exclude: onPostgres ? ['**/node_modules/**', ...VOICE_END_TO_END] : ['**/node_modules/**'],
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    pool: 'forks',
    // Most test time is waiting on sockets and child processes, so three workers on two cores
    // finish sooner than two; each PGlite worker costs ~0.5 GB, well within the machine.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
