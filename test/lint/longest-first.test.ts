import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { LONGEST } from "../../vitest.config.js";

test("every file the suite starts first exists (a renamed one would quietly go back to the end)", () => {
  for (const path of LONGEST) expect(existsSync(join(ROOT, path)), path).toBe(true);
});
