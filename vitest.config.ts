import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds the bundle the e2e tests spawn when src/ is newer (a run without npm run build).
    globalSetup: ['test/support/global-setup.ts'],
    // e2e tests spawn the built binary; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Never let a test reach the user's database by accident.
    env: { PAPERS_TEST: '1' },
  },
});
