import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { desiredAt, instantText, timeUntil, type ScheduledEntry } from "../../src/domain/schedule.js";
import type { DesiredState } from "../../src/domain/state.js";
import { scheduledPolicyDiagnostics, scheduledSection } from "../../src/plan/schedule.js";
import { credit, model, usageAggregate } from "./fixtures.js";
import { FIXED_SECRET_SALT } from "../helpers/secret-salt.js";
import { buildPlan } from "../../src/plan/build.js";
import { parsePlanJson } from "../../src/plan/plan-file.js";
import { renderPlanMarkdown } from "../../src/render/markdown.js";
import { renderPlanJson, renderPlanText } from "../../src/render/text.js";

const FIELDS = ["input_token_rate", "output_token_rate", "max_output_tokens"] as const;
const src = (line: number) => ({ file: "config/models/openai.yaml", line, col: 9 });

function entry(address: string, at: number, fields: ScheduledEntry["fields"], line = 10): ScheduledEntry {
  return {
    address,
    effective_from: instantText(at),
    at,
    fields,
    source: src(line),
    fieldSources: Object.fromEntries(Object.keys(fields).map((f, i) => [f, src(line + 1 + i)])),
  };
}

const stateOf = (schedule: ScheduledEntry[], policy?: DesiredState["policy"]): DesiredState => ({
  resources: [model("m", { input_token_rate: "1", output_token_rate: "2", max_output_tokens: 100 }), credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" })],
  accounts: [],
  secretRefs: [],
  schedule,
  ...(policy ? { policy } : {}),
});

describe("desiredAt", () => {
  test("field by field, the latest entry with effective_from <= t wins; without one, the written value (property)", () => {
    const entryArb = fc.record({
      at: fc.integer({ min: 0, max: 1000 }),
      fields: fc.dictionary(fc.constantFrom(...FIELDS), fc.integer({ min: 1, max: 999 }).map(String), { minKeys: 1 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entryArb, { selector: (e) => e.at, maxLength: 8 }), fc.integer({ min: -10, max: 1010 }), (raw, t) => {
        // File order need not be time order here: validate refuses it, the function does not rely on it.
        const schedule = raw.map((e, i) => entry("model/m", e.at, e.fields, 10 * (i + 1)));
        const desired = stateOf(schedule);
        const at = desiredAt(desired, t);
        const m = at.resources.find((r) => r.address === "model/m")!;
        for (const f of FIELDS) {
          const due = raw.filter((e) => e.at <= t && f in e.fields).sort((a, b) => b.at - a.at)[0];
          expect(m.fields[f]).toEqual(due ? due.fields[f] : desired.resources[0]!.fields[f]);
        }
        expect(at.schedule!.every((e) => e.at > t)).toBe(true);
        expect(at.schedule!.length + raw.filter((e) => e.at <= t).length).toBe(raw.length);
        // The state as written is left as it is.
        expect(desired.resources[0]!.fields.output_token_rate).toBe("2");
      }),
    );
  });

  test("an overridden field points at the entry's line; the rest at the resource's", () => {
    const desired = stateOf([entry("model/m", 5, { output_token_rate: "3" }, 40)]);
    desired.resources[0]!.fieldSources = { input_token_rate: src(3), output_token_rate: src(4) };
    const m = desiredAt(desired, 5).resources[0]!;
    expect(m.fieldSources).toEqual({ input_token_rate: src(3), output_token_rate: src(41) });
  });
});

describe("the plan's scheduled section", () => {
  test("steps after the plan's instant, each against the state its predecessors leave, with the margins that move", () => {
    const day = 86_400_000;
    const schedule = [entry("model/m", 10 * day, { output_token_rate: "2.5" }, 20), entry("model/m", 40 * day, { output_token_rate: "3", input_token_rate: "1" }, 30)];
    const desired = desiredAt(stateOf(schedule), 0);
    const section = scheduledSection({ resources: desired.resources, pending: desired.schedule!, asOf: 0 })!;
    expect(section.as_of).toBe("1970-01-01T00:00:00Z");
    expect(section.steps.map((s) => [s.effective_from, s.due_in_seconds])).toEqual([
      ["1970-01-11T00:00:00Z", 10 * 86_400],
      ["1970-02-10T00:00:00Z", 40 * 86_400],
    ]);
    expect(section.steps[0]!.changes).toEqual([{ address: "model/m", field: "output_token_rate", before: "2", after: "2.5", source: { file: "config/models/openai.yaml", line: 21 } }]);
    // input_token_rate "1" is what it already is: not a change.
    expect(section.steps[1]!.changes.map((c) => [c.field, c.before, c.after])).toEqual([["output_token_rate", "2.5", "3"]]);
    expect(section.steps[1]!.margins[0]).toMatchObject({ operation_type: "linking", model_id: "m", before: { cost: "2.5" }, after: { cost: "3" } });
    expect(timeUntil(section.steps[0]!.due_in_seconds * 1000)).toBe("in 10 days");
    expect(scheduledSection({ resources: desired.resources, pending: [], asOf: 0 })).toBeUndefined();
  });

  test("max_price_change_pct holds for each step against the state just before it, at the entry's line and instant", () => {
    const schedule = [entry("model/m", 10, { output_token_rate: "2.5" }, 20), entry("model/m", 20, { output_token_rate: "5" }, 30)];
    const policy = { apiVersion: "cfgsync/v1" as const, kind: "Policy" as const, max_price_change_pct: 50 };
    const desired = desiredAt(stateOf(schedule, policy), 0);
    const section = scheduledSection({ resources: desired.resources, pending: desired.schedule!, asOf: 0 });
    const diagnostics = scheduledPolicyDiagnostics(section, desired);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "policy.max-price-change", file: "config/models/openai.yaml", line: 31 });
    expect(diagnostics[0]!.message).toMatch(/^from 1970-01-01T00:00:00\.020Z \(scheduled\): model\/m: output_token_rate .* changes from 2\.5 to 5 \(100\.00 %\)/);
  });
});

test("a plan lists the steps with their revenue replay; text, Markdown and a saved plan carry them", () => {
  const day = 86_400_000;
  const schedule = [entry("model/m", 3 * day, { output_token_rate: "4" }, 20)];
  const desired = desiredAt(stateOf(schedule), 0);
  const usage = {
    days: 30,
    since: "1969-12-02T00:00:00.000Z",
    until: "1970-01-01T00:00:00.000Z",
    aggregates: [usageAggregate({ operation_type: "linking", model_id: "m", calls: 3, tokens: 3000, output_tokens: 3000, split_calls: 3, split_cost_usd: "0.006", recorded_credits: 10, recorded_cost_usd: "0.006", token_credits: { "300:1": 10 } })],
  };
  const live = { resources: desired.resources, lastApplied: new Map(), accounts: new Map(), secretSalt: FIXED_SECRET_SALT };
  const plan = buildPlan({ desired, live, env: {}, usage, asOf: { instant: new Date(0) } });
  expect(plan.summary.update).toBe(0);
  const step = plan.scheduled!.steps[0]!;
  expect(step.revenue?.totals.before.cost).not.toBe(step.revenue?.totals.after.cost);
  const text = renderPlanText(plan);
  expect(text).toMatch(/^ {2}1970-01-04 00:00 UTC \(in 3 days\)$/m);
  expect(text).toMatch(/revenue over the last 30 days replayed at these prices/);
  const markdown = renderPlanMarkdown(plan);
  expect(markdown).toContain("### Scheduled");
  expect(markdown).toMatch(/<code>model\/m<\/code> \| <code>output_token_rate<\/code> \| <code>"2"<\/code> → <code>"4"<\/code>/);
  const saved = parsePlanJson(renderPlanJson(plan), "p.json");
  expect(saved.scheduled).toEqual(plan.scheduled);
  expect(saved.at).toBeUndefined();
});
