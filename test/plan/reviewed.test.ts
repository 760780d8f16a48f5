import { describe, expect, it } from "vitest";
import { FIXED_SECRET_SALT } from "../helpers/secret-salt.js";
import { UserError } from "../../src/domain/diagnostic.js";
import type { FieldValue, Resource } from "../../src/domain/resources.js";
import type { DesiredState, LiveState } from "../../src/domain/state.js";
import { stateRecordFields } from "../../src/plan/apply-request.js";
import { buildPlan } from "../../src/plan/build.js";
import { NOTHING_REVIEWED, assertChangesReviewed, parseExpectedChanges } from "../../src/plan/reviewed.js";
import { model } from "./fixtures.js";

const policy = { max_price_change_pct: 50, source: { file: "config/policies.yaml", line: 5, col: 1 } } as DesiredState["policy"];
const desired = (resources: Resource[]): DesiredState => ({ resources, policy, accounts: [], secretRefs: [] });
const live = (resources: Resource[], applied: Resource[] = resources): LiveState => ({
  resources,
  lastApplied: new Map(applied.map((r) => [r.address, stateRecordFields(r)])),
  accounts: new Map(),
  secretSalt: FIXED_SECRET_SALT,
});
const withSource = (r: Resource, line: number): Resource => ({ ...r, source: { file: "config/models/openai.yaml", line, col: 5 } });
const plan = (want: Resource[], have: LiveState) => buildPlan({ desired: desired(want), live: have, env: {} });
const gpt = (fields: Record<string, FieldValue> = {}) => model("gpt-4.1", { input_token_rate: "2", output_token_rate: "8", ...fields });

describe("the change-set digest", () => {
  it("is the same for the same changes, whatever else differs: source lines, decimal spelling, unmanaged rows, other rows' state", () => {
    const a = plan([withSource(gpt({ sort_order: 11 }), 7)], live([gpt()]));
    const b = plan([withSource(gpt({ sort_order: 11, input_token_rate: "2.000" }), 90)], live([gpt({ input_token_rate: "2.0" }), model("stray")], [gpt()]));
    expect(a.state_digest).not.toBe(b.state_digest);
    expect(b.summary.unmanaged).toBe(1);
    expect(a.changes_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.changes_digest).toBe(a.changes_digest);
  });

  it("differs when a value before or after differs, or when a change is added", () => {
    const base = plan([gpt({ sort_order: 11 })], live([gpt()]));
    expect(plan([gpt({ sort_order: 12 })], live([gpt()])).changes_digest).not.toBe(base.changes_digest);
    expect(plan([gpt({ sort_order: 11 })], live([gpt({ sort_order: 5 })], [gpt()])).changes_digest).not.toBe(base.changes_digest);
    expect(plan([gpt({ sort_order: 11 }), model("new")], live([gpt()])).changes_digest).not.toBe(base.changes_digest);
  });

  it("covers secrets by the digest of their values, which the plan itself never shows", () => {
    const key = (digest: string): FieldValue => ({ sensitive: true, digest });
    const integration = (digest: string): Resource => ({ address: "integration/openai", kind: "integration", key: { provider: "openai" }, fields: { api_key: key(digest) } });
    const one = plan([integration("sha256:1")], live([integration("sha256:0")]));
    const two = plan([integration("sha256:2")], live([integration("sha256:0")]));
    expect(JSON.stringify(one.changes)).toBe(JSON.stringify(two.changes));
    expect(one.changes_digest).not.toBe(two.changes_digest);
    expect(JSON.stringify(one)).not.toContain('"sha256:1"'); // the value itself (a digest's hex may well start with 1)
  });
});

describe("apply --expect-changes", () => {
  it("passes the reviewed change set, refuses any other; `none` passes only a plan without changes", () => {
    const p = plan([gpt({ sort_order: 11 })], live([gpt()]));
    expect(() => assertChangesReviewed(p, p.changes_digest!)).not.toThrow();
    expect(() => assertChangesReviewed(p, "sha256:" + "0".repeat(64))).toThrow(/differ from the reviewed ones .* nothing was changed/);
    expect(() => assertChangesReviewed(p, NOTHING_REVIEWED)).toThrow(/nothing was reviewed/);
    expect(() => assertChangesReviewed(plan([gpt()], live([gpt()])), NOTHING_REVIEWED)).not.toThrow();
    expect(() => parseExpectedChanges("abc")).toThrow(UserError);
    expect(parseExpectedChanges(` ${p.changes_digest} `)).toBe(p.changes_digest);
  });
});

describe("the price-change guard measures what Git changed", () => {
  const codes = (p: ReturnType<typeof plan>) => p.diagnostics.map((d) => d.code);

  it("never blocks restoring a price changed by hand (drift), however large", () => {
    const p = plan([withSource(gpt(), 9)], live([gpt({ output_token_rate: "99" })], [gpt()]));
    expect(p.summary.drift).toBe(1);
    expect(codes(p)).not.toContain("policy.max-price-change");
  });

  it("still blocks a large change made in Git, at the YAML line, measured from the last applied value", () => {
    // Drifted to 99 by hand, and Git moves 8 -> 20: 150 % of what Git changed, not 80 % of the drift.
    const p = plan([withSource(gpt({ output_token_rate: "20" }), 9)], live([gpt({ output_token_rate: "99" })], [gpt()]));
    const found = p.diagnostics.find((d) => d.code === "policy.max-price-change")!;
    expect(found.message).toContain("output_token_rate (USD per 1M output tokens) changes from 8 to 20 (150.00 %)");
    expect(found).toMatchObject({ file: "config/models/openai.yaml", line: 9 });
    // Never applied before: measured against the live value.
    expect(codes(plan([gpt({ output_token_rate: "20" })], live([gpt()], [])))).toContain("policy.max-price-change");
    // Small Git change on a drifted row: allowed.
    expect(codes(plan([gpt({ output_token_rate: "9" })], live([gpt({ output_token_rate: "99" })], [gpt()])))).not.toContain("policy.max-price-change");
  });
});
