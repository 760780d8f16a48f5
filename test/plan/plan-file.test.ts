import { planContentDigest } from "../../src/plan/digest.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readSavedPlan } from "../../src/app/flow.js";
import { kindOfAddress } from "../../src/domain/resources.js";
import { parsePlanJson, readPlanFile } from "../../src/plan/plan-file.js";

const dir = mkdtempSync(join(tmpdir(), "cfgsync-planfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const summary = { create: 0, update: 1, delete: 0, drift: 0, unmanaged: 0 };

describe("saved plan files", () => {
  test("a plan without kinds gets them from the addresses", () => {
    const plan = parsePlanJson(
      JSON.stringify({ format_version: 1, summary, changes: [{ address: "account/acme/integration/openai", action: "update", fields: [] }] }),
      "p.json",
    );
    expect(plan.changes[0]!.kind).toBe("account-integration");
  });

  test("not JSON, a wrong version, an unknown address and a missing file are clear errors", async () => {
    expect(() => parsePlanJson("{", "p.json")).toThrow(/p\.json is not JSON/);
    expect(() => parsePlanJson(JSON.stringify({ format_version: 2 }), "p.json")).toThrow(/format_version is 2/);
    expect(() =>
      parsePlanJson(JSON.stringify({ format_version: 1, summary, changes: [{ address: "nope/x", action: "update", fields: [] }] }), "p.json"),
    ).toThrow(/unknown resource address "nope\/x"/);
    await expect(readPlanFile(join(dir, "missing.json"))).rejects.toThrow(/Cannot read the plan .*missing\.json: no such file/);
  });

  test("apply refuses a saved plan without the digests that make it safe", async () => {
    const noDigests = file("no-digests.json", JSON.stringify({ format_version: 1, summary, changes: [] }));
    await expect(readSavedPlan(noDigests)).rejects.toThrow(/has no config_digest\/state_digest/);
    const unsealed = { format_version: 1, config_digest: "sha256:a", state_digest: "sha256:b", summary, changes: [] };
    await expect(readSavedPlan(file("unsealed.json", JSON.stringify(unsealed)))).rejects.toThrow(/was edited after `cfgsync plan --out` wrote it/);
    const ok = file("ok.json", JSON.stringify({ ...unsealed, content_digest: planContentDigest(unsealed as never) }));
    expect((await readSavedPlan(ok)).state_digest).toBe("sha256:b");
    const edited = file("edited.json", JSON.stringify({ ...unsealed, summary: { ...summary, update: 2 }, content_digest: planContentDigest(unsealed as never) }));
    await expect(readSavedPlan(edited)).rejects.toThrow(/content digest does not match/);
  });

  test("addresses parse back to their kinds; anything else is no address", () => {
    expect(kindOfAddress("model/gpt-4.1")).toBe("model");
    expect(kindOfAddress("credit/linking")).toBe("credit");
    expect(kindOfAddress("integration/global")).toBe("integration");
    expect(kindOfAddress("settings-schema/ai_settings")).toBe("settings-schema");
    expect(kindOfAddress("account/acme/setting/content.tone")).toBe("account-setting");
    expect(kindOfAddress("account/acme/integration/dalle")).toBe("account-integration");
    expect(kindOfAddress("something/else")).toBeUndefined();
  });
});
