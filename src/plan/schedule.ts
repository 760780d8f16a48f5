import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import type { JsonValue, Resource } from "../domain/resources.js";
import { instantText, resourcesAt, scheduleInstants, type ScheduledEntry } from "../domain/schedule.js";
import type { DesiredState } from "../domain/state.js";
import type { UsageWindow } from "../domain/usage.js";
import type { Change } from "./change.js";
import { sameValue } from "./diff.js";
import { marginRows } from "./impact/margins.js";
import { replayRevenue } from "./impact/revenue.js";
import type { ScheduledFieldChange, ScheduledSection, ScheduledStep } from "./impact/types.js";

export type { ScheduledFieldChange, ScheduledSection, ScheduledStep } from "./impact/types.js";
import { planPolicyDiagnostics } from "./policy.js";

/**
 * The steps still to come after `asOf`, each against the state just before
 * it: the first against `resources` (the desired state at `asOf`), each later
 * one against the state its predecessors leave. Pure.
 */
export function scheduledSection(input: {
  resources: readonly Resource[];
  pending: readonly ScheduledEntry[];
  asOf: number;
  usage?: UsageWindow | undefined;
}): ScheduledSection | undefined {
  const pending = input.pending.filter((e) => e.at > input.asOf);
  if (pending.length === 0) return undefined;
  const usage = input.usage && input.usage.aggregates.length > 0 ? input.usage : undefined;
  const steps: ScheduledStep[] = [];
  let before: readonly Resource[] = input.resources;
  for (const t of scheduleInstants(pending)) {
    const entries = pending.filter((e) => e.at === t);
    const after = resourcesAt(before, entries, t);
    const byAddress = new Map(before.map((r) => [r.address, r]));
    const changes: ScheduledFieldChange[] = [];
    for (const e of entries) {
      const r = byAddress.get(e.address);
      if (!r) continue;
      for (const [field, value] of Object.entries(e.fields)) {
        if (sameValue(r.kind, field, r.fields[field], value)) continue;
        const where = e.fieldSources[field] ?? e.source;
        changes.push({ address: e.address, field, before: (r.fields[field] ?? null) as JsonValue, after: value as JsonValue, source: { file: where.file, line: where.line } });
      }
    }
    const step: ScheduledStep = { effective_from: instantText(t), due_in_seconds: Math.floor((t - input.asOf) / 1000), changes, margins: marginRows(before, after) };
    if (usage) step.revenue = replayRevenue({ ...usage, live: before, desired: after });
    steps.push(step);
    before = after;
  }
  return { as_of: instantText(input.asOf), steps };
}

/**
 * The price-change guard on each scheduled step: a step may not move a price
 * by more than max_price_change_pct from the value just before it (what the
 * step changes in Git terms; the first step against the state at the plan's
 * instant). Reported at the entry's line, with its instant.
 */
export function scheduledPolicyDiagnostics(section: ScheduledSection | undefined, desired: DesiredState): Diagnostic[] {
  if (!section || desired.policy?.max_price_change_pct === undefined) return [];
  const kinds = new Map(desired.resources.map((r) => [r.address, r.kind]));
  const out: Diagnostic[] = [];
  for (const step of section.steps) {
    for (const c of step.changes) {
      const kind = kinds.get(c.address);
      if (!kind) continue;
      const change: Change = { address: c.address, kind, action: "update", fields: [{ name: c.field, before: c.before, after: c.after }], source: c.source };
      for (const d of planPolicyDiagnostics({ changes: [change], desired, live: { lastApplied: new Map() } })) {
        out.push(diagnostic(d.severity, d.code, `from ${step.effective_from} (scheduled): ${d.message}`, { file: c.source.file, line: c.source.line, col: 1 }));
      }
    }
  }
  return out;
}
