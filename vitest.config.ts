import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most tests wait on child CLI processes and the database, not the CPU:
    // more workers than cores keeps both cores busy.
    maxWorkers: 4,
    globalSetup: ["test/global-setup.ts"],
    // The built CLI (dist/) loads with Node's own import, as oclif loads its
    // commands: one copy of each module, whether a test or the CLI run
    // in-process (test/helpers/cli.ts) imports it.
    server: { deps: { external: [/\/dist\//] } },
  },
});
