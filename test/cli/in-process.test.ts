import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ROOT, runCliInProcess, runCliProcess, type CliResult } from "../helpers/cli.js";
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from "../helpers/db.js";

/*
 * Most CLI tests run bin/run.js's function in the test process
 * (test/helpers/cli.ts). This is the check that it is the CLI a user runs:
 * the same calls, in-process and in a child process, each in a work tree and
 * a database of its own, on both databases, give the same exit codes and the
 * same bytes on stdout and stderr (paths and times of day aside).
 */

const roots: string[] = [];
const workTree = () => {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-inproc-"));
  roots.push(dir);
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  return dir;
};
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Step {
  args: string[];
  input?: string;
  /** Variables of this call only (a run must not keep the last run's). */
  env?: Record<string, string | undefined>;
  /** Runs before the step, in the step's work tree. */
  edit?: (dir: string) => void;
  /** The call ends before it opens the database: checked on SQLite only. */
  noDatabase?: true;
}

const STEPS: Step[] = [
  { args: ["db", "migrate"] },
  { args: ["validate"], noDatabase: true },
  { args: ["plan", "--detailed-exitcode"] },
  { args: ["apply"], input: "yes\n" },
  { args: ["apply", "--auto-approve"] },
  { args: ["plan", "--detailed-exitcode", "--json"] },
  { args: ["history", "--json"] },
  { args: ["drift"] },
  { args: ["plan"], env: { NO_COLOR: undefined, FORCE_COLOR: "1" } },
  { args: ["history"] },
  { args: ["resolve", "--account", "acme"] },
  { args: ["db", "create-user", "--account", "acme", "ada@example.com"] },
  { args: ["resolve", "--account", "acme", "--user", "1", "--json"] },
  { args: ["plan", "--bogus"], noDatabase: true },
  { args: ["plna"], noDatabase: true },
  { args: ["plan", "--json", "--lock-timeout", "soon"], noDatabase: true },
  { args: ["github", "comment", "--pr", "1"], input: "not a plan", noDatabase: true },
  { args: ["github", "comment", "--pr", "1"], noDatabase: true },
  { args: ["validate", "--format", "github"], edit: (dir) => writeFileSync(join(dir, "config", "credits.yaml"), "apiVersion: cfgsync/v1\nkind: [\n"), noDatabase: true },
  { args: ["plan", "--json"], noDatabase: true },
];

/** What differs between two work trees, two databases and two moments, whichever way the CLI ran. */
function normalised(r: CliResult, dir: string, db: TestDatabase): CliResult {
  const clean = (text: string) =>
    text
      .replaceAll(dir, "<dir>")
      .replaceAll(db.url.replace(/^file:/, ""), "<db>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?/g, "<time>")
      .replace(/"(duration_ms|took_ms)": \d+/g, '"$1": <ms>');
  return { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr) };
}

const databases: TestDatabase[] = [];
const inProcess = new Map<Dialect, CliResult[]>();
const child = new Map<Dialect, CliResult[]>();

/** The steps in a work tree and a database of their own, through `runner`. */
const stepsOn = (dialect: Dialect) => STEPS.filter((step) => dialect === "sqlite" || !step.noDatabase);

async function runSteps(runner: typeof runCliProcess, dialect: Dialect): Promise<CliResult[]> {
  const dir = workTree();
  const db = await createTestDatabase(dialect);
  databases.push(db);
  const results: CliResult[] = [];
  for (const step of stepsOn(dialect)) {
    step.edit?.(dir);
    const env = { DATABASE_URL: db.url, GITHUB_TOKEN: undefined, ...step.env };
    const r = await runner(step.args, { cwd: dir, env, ...(step.input !== undefined ? { input: step.input } : {}) });
    results.push(normalised(r, dir, db));
  }
  return results;
}

beforeAll(async () => {
  // The child-process sequences run alongside the in-process ones (which take turns): the same work, less waiting.
  await Promise.all([
    (async () => {
      for (const dialect of DIALECTS) inProcess.set(dialect, await runSteps(runCliInProcess, dialect));
    })(),
    ...DIALECTS.map(async (dialect) => child.set(dialect, await runSteps(runCliProcess, dialect))),
  ]);
}, 180_000);
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe.each(DIALECTS)("%s", (dialect) => {
  test.each(stepsOn(dialect).map((step, i) => [step.args.join(" "), i] as const))("cfgsync %s: the same exit code, stdout and stderr in-process as in a child process", (_, i) => {
    expect(inProcess.get(dialect)![i]).toEqual(child.get(dialect)![i]);
  });

  test("the steps cover success, changes, errors and colour (on SQLite also usage errors, stdin and invalid configuration)", () => {
    const results = child.get(dialect)!;
    expect(new Set(results.map((r) => r.code))).toEqual(new Set(dialect === "sqlite" ? [0, 1, 2, 64] : [0, 1, 2]));
    expect(results.some((r) => r.stdout.includes("\x1b["))).toBe(true);
  });
});
