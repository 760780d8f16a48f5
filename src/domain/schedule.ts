import type { Resource } from "./resources.js";
import type { DesiredState, ScheduledEntry } from "./state.js";

export type { ScheduledEntry } from "./state.js";

/*
 * Scheduled prices (issue #14). A model or credit rule may announce values
 * of its price and limit fields for an instant; the desired state at time T
 * takes, field by field, the latest entry with effective_from <= T. Pure: the
 * time is always handed in (the core never reads the clock).
 */


/** An instant as the plan shows it: UTC, whole seconds unless written finer. */
export function instantText(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * The resources at time `t`: each one's fields overridden, in ascending
 * effective_from (file order among equal instants, which validate refuses),
 * by its entries due at `t`. An overridden field points at the entry's line,
 * so a rule judging that state names the entry. Resources without a due
 * entry are returned as they are (same objects).
 */
export function resourcesAt(resources: readonly Resource[], schedule: readonly ScheduledEntry[], t: number): Resource[] {
  const due = new Map<string, ScheduledEntry[]>();
  for (const e of schedule) {
    if (e.at > t) continue;
    const list = due.get(e.address);
    if (list) list.push(e);
    else due.set(e.address, [e]);
  }
  if (due.size === 0) return [...resources];
  return resources.map((r) => {
    const entries = due.get(r.address);
    if (!entries) return r;
    const fields = { ...r.fields };
    const fieldSources = { ...(r.fieldSources ?? {}) };
    for (const e of [...entries].sort((a, b) => a.at - b.at)) {
      Object.assign(fields, e.fields);
      Object.assign(fieldSources, e.fieldSources);
    }
    const out: Resource = { address: r.address, kind: r.kind, key: r.key, fields, fieldSources };
    if (r.source) out.source = r.source;
    return out;
  });
}

/**
 * The desired state at `t`: the resources with every entry due at `t`
 * applied, and `schedule` holding only what is still to come.
 */
export function desiredAt(desired: DesiredState, t: number): DesiredState {
  const schedule = desired.schedule ?? [];
  if (schedule.length === 0) return desired;
  return { ...desired, resources: resourcesAt(desired.resources, schedule, t), schedule: schedule.filter((e) => e.at > t) };
}

/**
 * The resources with entries still to come, at each instant they change
 * (what a replay of the usage log must be able to price).
 */
export function scheduledStates(desired: DesiredState): Resource[] {
  const schedule = desired.schedule ?? [];
  if (schedule.length === 0) return [];
  const scheduled = new Set(schedule.map((e) => e.address));
  const own = desired.resources.filter((r) => scheduled.has(r.address));
  return scheduleInstants(schedule).flatMap((t) => resourcesAt(own, schedule, t));
}

/** The distinct instants of a schedule, ascending. */
export function scheduleInstants(schedule: readonly ScheduledEntry[]): number[] {
  return [...new Set(schedule.map((e) => e.at))].sort((a, b) => a - b);
}

/** The first instant after `t` at which something comes due, if any (the sync loop wakes for it). */
export function nextDue(schedule: readonly ScheduledEntry[] | undefined, t: number): number | undefined {
  let next: number | undefined;
  for (const e of schedule ?? []) if (e.at > t && (next === undefined || e.at < next)) next = e.at;
  return next;
}

/** "in 33 days", "in 5 hours", "in 40 seconds": how long until an instant, rounded down to its largest unit. */
export function timeUntil(ms: number): string {
  if (ms <= 0) return "due";
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `in ${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "in less than a second";
}
