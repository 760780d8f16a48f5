import { computeMargins, type MarginLine } from "../../domain/margin.js";
import type { Resource } from "../../domain/resources.js";
import type { MarginRow, PlanImpact } from "./types.js";

/** Margins before (live) and after (desired), joined per operation and model. */
export function marginRows(live: readonly Resource[], desired: readonly Resource[]): MarginRow[] {
  const key = (l: MarginLine) => `${l.operation_type}\0${l.model_id}`;
  const before = new Map(computeMargins(live.filter((r) => r.kind === "model"), live.filter((r) => r.kind === "credit")).map((l) => [key(l), l]));
  const after = new Map(computeMargins(desired.filter((r) => r.kind === "model"), desired.filter((r) => r.kind === "credit")).map((l) => [key(l), l]));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.map((k) => {
    const b = before.get(k);
    const a = after.get(k);
    const any = (a ?? b)!;
    const row: MarginRow = {
      operation_type: any.operation_type,
      model_id: any.model_id,
      unit: any.unit,
      per: any.per,
      before: b ? b.figures : null,
      after: a ? a.figures : null,
    };
    if ((b && hasPriceRange(b)) || (a && hasPriceRange(a))) row.prices = { before: b ? priceRange(b) : null, after: a ? priceRange(a) : null };
    return row;
  });
}

/** More than one price for the unit: the worst and the cheapest differ. */
const hasPriceRange = (l: MarginLine) => l.cheapest.dimension !== l.dimension;
const priceRange = (l: MarginLine) => ({ dimension: l.dimension, cheapest: l.cheapest });

export function planImpact(input: { desired: readonly Resource[]; live: readonly Resource[] }): PlanImpact {
  return { margins: marginRows(input.live, input.desired) };
}
