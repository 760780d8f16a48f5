import { inert } from "../domain/inert.js";
import type { FieldChange, MarginFigures, MarginRow } from "../plan/types.js";

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

export function marginChanged(row: MarginRow): boolean {
  return JSON.stringify(row.before) !== JSON.stringify(row.after);
}

export function figure(f: MarginFigures | null, key: keyof MarginFigures): string {
  if (!f) return "-";
  const v = f[key];
  if (v === null) return "n/a";
  return key.endsWith("_pct") ? `${v} %` : `$${v}`;
}

/** Which price dimension the worst and the cheapest cost come from, for a model with more than one price (issue #10). */
export function priceRangeLine(row: MarginRow): string | null {
  const p = row.prices?.after ?? row.prices?.before;
  if (!p) return null;
  const c = p.cheapest.figures;
  return `at the worst price: ${p.dimension}; cheapest: ${p.cheapest.dimension} (cost $${c.cost}, margin ${c.margin_pct ?? "n/a"} %)`;
}
