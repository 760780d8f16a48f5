import { diagnostic, diagnosticId, type Diagnostic } from "../../domain/diagnostic.js";
import { canonicalJson } from "../../domain/digest.js";
import { decimalEquals } from "../../domain/money.js";
import { fieldType, type FieldValue, type Resource } from "../../domain/resources.js";
import { resourcesAt, scheduleInstants, type ScheduledEntry } from "../../domain/schedule.js";
import type { Rule, RuleContext } from "./types.js";

/** Entries by resource address, in file order. */
function byAddress(schedule: readonly ScheduledEntry[]): Map<string, ScheduledEntry[]> {
  const out = new Map<string, ScheduledEntry[]>();
  for (const e of schedule) {
    const list = out.get(e.address);
    if (list) list.push(e);
    else out.set(e.address, [e]);
  }
  return out;
}

function sameField(r: Resource, name: string, a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  if (fieldType(r.kind, name) === "decimal") return decimalEquals(String(a), String(b));
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A resource's entries come in ascending effective_from, one per instant (a
 * reader scans them as a timeline; two at one instant would leave the winner
 * to file order), each changing something: an entry that sets a field to the
 * value it already has then is a warning (a copy-paste slip, usually).
 */
export const scheduledEntries: Rule = {
  name: "scheduled-entries",
  needs: [],
  check({ desired }) {
    const out: Diagnostic[] = [];
    const resources = new Map(desired.resources.map((r) => [r.address, r]));
    for (const [addr, entries] of byAddress(desired.schedule ?? [])) {
      const resource = resources.get(addr);
      entries.forEach((e, j) => {
        const prev = entries[j - 1];
        if (prev && e.at <= prev.at) {
          const relation = e.at === prev.at ? "is at the same instant as" : "comes before";
          out.push(
            diagnostic(
              "error",
              "schedule.order",
              `scheduled entry ${e.effective_from} of ${addr} ${relation} the entry above it (line ${prev.source.line}, ${prev.effective_from}); list entries in ascending effective_from, one per instant`,
              e.source,
            ),
          );
        }
        if (Object.keys(e.fields).length === 0) {
          out.push(diagnostic("error", "schedule.empty-entry", `scheduled entry ${e.effective_from} of ${addr} changes no field; give it a price or limit to change, or remove it`, e.source));
        }
      });
      if (!resource) continue;
      // What each field is just before each entry: the resource's own value, then the earlier entries'.
      let state = resource;
      for (const e of [...entries].sort((a, b) => a.at - b.at)) {
        for (const [name, value] of Object.entries(e.fields)) {
          if (!sameField(state, name, state.fields[name], value)) continue;
          out.push(
            diagnostic(
              "warning",
              "schedule.no-change",
              `scheduled entry ${e.effective_from} of ${addr} sets ${name} to ${JSON.stringify(value)}, which it already is then`,
              e.fieldSources[name] ?? e.source,
            ),
          );
        }
        state = { ...state, fields: { ...state.fields, ...e.fields } };
      }
    }
    return out;
  },
};


/**
 * Every rule holds in every scheduled state, not only in the state as
 * written: the rules a scheduled value can move run again on the desired
 * state at each instant an entry takes effect (a price that breaks a margin floor next year fails validate,
 * and so every plan, today). A problem that first appears at an instant is
 * reported once, named by that instant and pointed at the entry that brings
 * it (the entry whose line it names, else one of that instant's entries for
 * the model or operation it names).
 */
export function scheduledStateDiagnostics(
  ctx: RuleContext,
  found: readonly Diagnostic[],
  run: (state: RuleContext, changed: ReadonlySet<string>) => Diagnostic[],
): Diagnostic[] {
  const schedule = ctx.desired.schedule ?? [];
  if (schedule.length === 0) return [];
  const seen = new Set(found.map(diagnosticId));
  const out: Diagnostic[] = [];
  for (const t of scheduleInstants(schedule)) {
    const resources = resourcesAt(ctx.desired.resources, schedule, t);
    const models = new Map(resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r]));
    const state: RuleContext = { ...ctx, desired: { ...ctx.desired, resources, schedule: [] }, models };
    const entries = schedule.filter((e) => e.at === t);
    for (const d of run(state, new Set(entries.map((e) => e.address)))) {
      const key = diagnosticId(d);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(attribute(d, entries));
    }
  }
  return out;
}

function attribute(d: Diagnostic, entries: readonly ScheduledEntry[]): Diagnostic {
  const lines = (e: ScheduledEntry) => [e.source, ...Object.values(e.fieldSources)];
  const own = entries.find((e) => lines(e).some((p) => p.file === d.file && p.line === d.line));
  const entry = own ?? entries.find((e) => names(d.message, e.address)) ?? entries[0]!;
  const where = own ? { file: d.file, line: d.line, col: d.col } : entry.source;
  return diagnostic(d.severity, d.code, `from ${entry.effective_from} (scheduled): ${d.message}`, where);
}

/** Whether a message names the resource (its model id or operation) as a word of its own. */
function names(message: string, addr: string): boolean {
  const id = addr.slice(addr.indexOf("/") + 1);
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`).test(message);
}
