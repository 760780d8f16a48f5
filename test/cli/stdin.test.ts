import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

/*
 * oclif reads a missing argument from piped standard input unless told not
 * to: `yes | cfgsync apply --auto-approve` took "yes" for a saved plan's file
 * name. Arguments come from the command line only.
 */
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

test("piped standard input is never taken for an argument (apply reads no plan file named by stdin)", async () => {
  dir = mkdtempSync(join(tmpdir(), "cfgsync-stdin-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  const r = await runCli(["apply", "--auto-approve"], { cwd: dir, input: "yes\n", env: { DATABASE_URL: `file:${join(dir, "c.db")}` } });
  expect(r.stderr).not.toContain("Cannot read the plan");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Applied: \d+ created/);
});
