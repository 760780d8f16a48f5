import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ROOT } from "../helpers/cli.js";

/** The sample config/ with one edit, in a temp directory. */
function sampleWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-margin-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  const path = join(dir, "config", file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, after);
  return dir;
}

describe("minimum margin policy against the desired state (SPEC §2.6)", () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  test("the sample config meets its own policy", async () => {
    const loaded = await loadConfig(join(ROOT, "config"), { cwd: ROOT, today: new Date("2026-01-15") });
    expect(loaded.diagnostics.filter((d) => d.code === "policy.margin")).toEqual([]);
  });

  test("raising dall-e-3's cost to $0.09 fails the 40 % floor, naming the model, the operation and the margin", async () => {
    dir = sampleWith("models/openai.yaml", (t) => t.replace(/(model_id: dall-e-3[\s\S]*?cost_per_image: )"?0?\.040?"?/, "$1 0.09"));
    const loaded = await loadConfig(join(dir, "config"), { cwd: dir, today: new Date("2026-01-15") });
    const margin = loaded.diagnostics.filter((d) => d.code === "policy.margin");
    expect(margin).toHaveLength(1);
    const [d] = margin;
    expect(d!.severity).toBe("error");
    expect(d!.message).toContain("dall-e-3");
    expect(d!.message).toContain("image_generation");
    // charge $0.10, cost $0.09: margin $0.01 = 10 % of the charge, below 40 %.
    expect(d!.message).toMatch(/margin 10(\.00)? %/);
    expect(d!.message).toMatch(/40 %/);
    expect(d!.file).toMatch(/config\/credits\.yaml|config\/models\/openai\.yaml/);
    expect(d!.line).toBeGreaterThan(0);
  });
});
