import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest (measured: each 15-60 s, most of it waiting on
 * child processes and databases), started first. Without vitest's timing
 * cache (a fresh clone, CI) it runs the largest files first, and the
 * per-database suites are three-line files: they came last and ended the run
 * alone, with the other workers idle.
 */
export const LONGEST = [
  "test/cli/in-process.test.ts",
  "test/cli/scale.test.ts",
  "test/github/delivery.test.ts",
  "test/gate/property.test.ts",
  "test/gitops/sync.postgresql.test.ts",
  "test/gate/gate.postgresql.test.ts",
  "test/cli/gitops.postgresql.test.ts",
  "test/gitops/sync.sqlite.test.ts",
  "test/gitops/sync-safety.test.ts",
  "test/store/migrate.test.ts",
  "test/gitops/restore.postgresql.test.ts",
  "test/cli/gitops.sqlite.test.ts",
  "test/gitops/restore.sqlite.test.ts",
  "test/gate/gate.sqlite.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONGEST.findIndex((path) => spec.moduleId.endsWith(path));
      return i < 0 ? LONGEST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
  },
});
