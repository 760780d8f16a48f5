import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ROOT, runCliInProcess, runCliProcess, type CliResult } from "../helpers/cli.js";

/*
 * Most CLI tests run bin/run.js's function in the test process
 * (test/helpers/cli.ts). This is the check that it is the CLI a user runs:
 * the same calls, in-process and in a child process, each in a work tree of
 * its own, give the same exit codes and the same bytes on stdout and stderr
 * (the work tree's path and the times of day aside).
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
  /** Runs before the step, in the step's work tree. */
  edit?: (dir: string) => void;
}

const STEPS: Step[] = [
  { args: ["validate"] },
  { args: ["plan", "--detailed-exitcode"] },
  { args: ["apply"], input: "yes\n" },
  { args: ["apply", "--auto-approve"] },
  { args: ["plan", "--detailed-exitcode", "--json"] },
  { args: ["history", "--json"] },
  { args: ["drift"] },
  { args: ["resolve", "--account", "acme"] },
  { args: ["db", "create-user", "--account", "acme", "ada@example.com"] },
  { args: ["resolve", "--account", "acme", "--user", "1", "--json"] },
  { args: ["plan", "--bogus"] },
  { args: ["plna"] },
  { args: ["plan", "--json", "--lock-timeout", "soon"] },
  { args: ["github", "comment", "--pr", "1"], input: "not a plan" },
  { args: ["github", "comment", "--pr", "1"] },
  { args: ["validate", "--format", "github"], edit: (dir) => writeFileSync(join(dir, "config", "credits.yaml"), "apiVersion: cfgsync/v1\nkind: [\n") },
  { args: ["plan", "--json"] },
];

/** What differs between two work trees and two moments, whichever way the CLI ran. */
function normalised(r: CliResult, dir: string): CliResult {
  const clean = (text: string) =>
    text
      .replaceAll(dir, "<dir>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?/g, "<time>")
      .replace(/"(duration_ms|took_ms)": \d+/g, '"$1": <ms>');
  return { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr) };
}

let inProcess: CliResult[];
let child: CliResult[];

beforeAll(async () => {
  const run = async (runner: typeof runCliProcess) => {
    const dir = workTree();
    const results: CliResult[] = [];
    for (const step of STEPS) {
      step.edit?.(dir);
      const r = await runner(step.args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, "cfgsync.db")}`, GITHUB_TOKEN: undefined }, ...(step.input !== undefined ? { input: step.input } : {}) });
      results.push(normalised(r, dir));
    }
    return results;
  };
  inProcess = await run(runCliInProcess);
  child = await run(runCliProcess);
}, 120_000);

test.each(STEPS.map((step, i) => [step.args.join(" "), i] as const))("cfgsync %s: the same exit code, stdout and stderr in-process as in a child process", (_, i) => {
  expect(inProcess[i]).toEqual(child[i]);
});

test("the steps cover success, changes, usage errors, stdin and invalid configuration", () => {
  expect(new Set(child.map((r) => r.code))).toEqual(new Set([0, 1, 2, 64]));
});
