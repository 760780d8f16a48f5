import { describe, expect, test } from "vitest";
import { detectDrift, diffResources } from "../../src/plan/diff.js";
import { fixedSecretDigest as secretDigest } from "../helpers/secret-salt.js";
import type { FieldValue, Resource } from "../../src/domain/resources.js";
import { imageModel, model } from "./fixtures.js";

const none = new Map<string, Record<string, FieldValue>>();
const appliedOf = (...rs: Resource[]) => new Map(rs.map((r) => [r.address, r.fields]));

describe("diffResources", () => {
  test("a resource only in config is created with its non-null fields", () => {
    const [c] = diffResources([imageModel("dall-e-3", "0.04")], [], none);
    expect(c).toMatchObject({ address: "model/dall-e-3", action: "create" });
    expect(c!.fields.find((f) => f.name === "cost_per_image")).toEqual({ name: "cost_per_image", before: undefined, after: "0.04" });
    expect(c!.fields.some((f) => f.name === "notes")).toBe(false);
  });

  test("decimals compare as decimals: 0.04 equals 0.040", () => {
    expect(diffResources([imageModel("m", "0.040")], [imageModel("m", "0.04")], none)).toEqual([]);
  });

  test("a changed field is an update with before and after", () => {
    const want = imageModel("m", "0.05");
    const have = imageModel("m", "0.04");
    const changes = diffResources([want], [have], appliedOf(have));
    expect(changes).toEqual([
      { address: "model/m", kind: "model", action: "update", fields: [{ name: "cost_per_image", before: "0.04", after: "0.05" }] },
    ]);
  });

  test("a live value that differs from the last applied one is drift, and names the field", () => {
    const want = model("m", { sort_order: 10 });
    const have = model("m", { sort_order: 99 });
    const [c] = diffResources([want], [have], appliedOf(want));
    expect(c).toMatchObject({ action: "drift", fields: [{ name: "sort_order", before: 99, after: 10, drifted: true }] });
  });

  test("managed rows missing from config are deleted; never-managed rows are unmanaged", () => {
    const managed = model("old");
    const foreign = model("foreign");
    const changes = diffResources([], [managed, foreign], appliedOf(managed));
    expect(changes.map((c) => [c.address, c.action])).toEqual([
      ["model/foreign", "unmanaged"],
      ["model/old", "delete"],
    ]);
  });

  test("JSON fields compare structurally, whatever the key order", () => {
    const a = model("m", { available_sizes: ["a", "b"], notes: null });
    const s1: Resource = { address: "settings-schema/x", kind: "settings-schema", key: { key: "x" }, fields: { schema: { type: "object", properties: {} } } };
    const s2: Resource = { ...s1, fields: { schema: { properties: {}, type: "object" } } };
    expect(diffResources([a, s1], [a, s2], none)).toEqual([]);
  });

  test("secrets compare by digest and the change carries no value", () => {
    const integration = (digest: string | null, from_env?: string): Resource => ({
      address: "integration/global",
      kind: "integration",
      key: { id: "1" },
      fields: { openai_api_key: { sensitive: true, digest, ...(from_env ? { from_env } : {}) }, openai_model: "gpt-4o-mini" },
    });
    const live = integration(secretDigest("sk-old-value"));
    const same = diffResources([integration(secretDigest("sk-old-value"), "OPENAI_API_KEY")], [live], none);
    expect(same).toEqual([]);
    const changed = diffResources([integration(secretDigest("sk-new-value"), "OPENAI_API_KEY")], [live], none);
    expect(changed[0]!.fields).toEqual([{ name: "openai_api_key", sensitive: true, changed: true }]);
    expect(JSON.stringify(changed)).not.toContain("sk-");
    // Unknown (environment variable not set): not compared, not guessed.
    expect(diffResources([integration(null, "OPENAI_API_KEY")], [live], none)).toEqual([]);
  });
});

describe("detectDrift", () => {
  test("reports fields changed since the last apply and rows deleted by hand", () => {
    const applied = appliedOf(model("a", { sort_order: 1 }), model("b"));
    const drift = detectDrift([model("a", { sort_order: 5 })], applied);
    expect(drift.map((d) => d.address)).toEqual(["model/a", "model/b"]);
    expect(drift[0]!.fields).toEqual([{ name: "sort_order", before: 1, after: 5, drifted: true }]);
    expect(drift[1]!.fields.every((f) => "before" in f && f.after === undefined)).toBe(true);
  });

  test("no drift when live equals last applied", () => {
    const m = model("a");
    expect(detectDrift([m], appliedOf(m))).toEqual([]);
  });
});
