import { inert } from "../domain/inert.js";
import { KIND_ORDER, type ResourceKind } from "../domain/resources.js";
import { ACTIONS, type Change, type FieldChange, type MarginRow } from "../plan/types.js";

/** A kind with more changes than this is summarised in text and Markdown: counts by action and the first ones. */
export const LISTED_CHANGES = 50;
/** The margin table lists at most this many moving rows, then a count. */
export const LISTED_MARGINS = 50;

/** Changes grouped by kind, in KIND_ORDER, in one pass (a plan can hold 100k changes). */
export function changesByKind(changes: readonly Change[]): Map<ResourceKind, Change[]> {
  const groups = new Map<ResourceKind, Change[]>(KIND_ORDER.map((k) => [k, []]));
  for (const c of changes) groups.get(c.kind)?.push(c);
  for (const [kind, ofKind] of groups) if (ofKind.length === 0) groups.delete(kind);
  return groups;
}

/** The changes of one kind a reader sees: all of them with `full`, else the first LISTED_CHANGES. */
export function listedChanges(changes: readonly Change[], full: boolean): readonly Change[] {
  return full || changes.length <= LISTED_CHANGES ? changes : changes.slice(0, LISTED_CHANGES);
}

/** "9,950 create, 50 update": the actions present, in their order. */
export function countsByAction(changes: readonly Change[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  return ACTIONS.filter((a) => counts.has(a))
    .map((a) => `${counts.get(a)!.toLocaleString("en")} ${a}`)
    .join(", ");
}

/** The margin rows whose figures move, the first LISTED_MARGINS of them, and how many more there are. */
export function movedMargins(rows: readonly MarginRow[], limit = LISTED_MARGINS): { shown: MarginRow[]; more: number } {
  const moved = rows.filter(marginChanged);
  return { shown: moved.slice(0, limit), more: Math.max(0, moved.length - limit) };
}

/** One field value as a reader sees it; a sensitive field never has a value to show. */
export function displayValue(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  // JSON escapes C0 controls; inert also shows DEL, C1 and bidi controls as escapes.
  return inert(JSON.stringify(v));
}

export function displaySensitive(f: Extract<FieldChange, { sensitive: true }>): string {
  return f.changed ? "(sensitive value changed)" : "(sensitive value unchanged)";
}

export function isSensitive(f: FieldChange): f is Extract<FieldChange, { sensitive: true }> {
  return (f as { sensitive?: boolean }).sensitive === true;
}

/** The figures move, or (a model with several prices) the worst or cheapest price does. */
export function marginChanged(row: MarginRow): boolean {
  return JSON.stringify(row.before) !== JSON.stringify(row.after) || JSON.stringify(row.prices?.before) !== JSON.stringify(row.prices?.after);
}

