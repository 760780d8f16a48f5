import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "./helpers/cli.js";

test("the project type-checks under strict TypeScript", () => {
  let output = "";
  try {
    execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."], { cwd: ROOT, encoding: "utf8" });
  } catch (err) {
    output = String((err as { stdout?: string }).stdout ?? err);
  }
  expect(output).toBe("");
}, 120_000);
