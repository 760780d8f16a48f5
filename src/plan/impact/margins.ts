import { appendAll } from "../../domain/append.js";
import { byOperationAndModel, computeMargins, type MarginLine } from "../../domain/margin.js";
import { COST_INPUT_FIELDS } from "../../domain/prices.js";
import type { Resource } from "../../domain/resources.js";
import { sameValue } from "../diff.js";
import type { MarginRow, PlanImpact } from "./types.js";

/** What a margin reads from a model (catalog's price dimensions included): a row's figures can only move when one of these does. */
const MODEL_INPUTS = ["is_active", ...COST_INPUT_FIELDS] as const;
/** What a margin reads from a credit operation. */
const OPERATION_INPUTS = ["is_active", "unit", "price_per_credit_usd", "credits", "min_credits", "tokens_per_credit"] as const;

/** Addresses of `kind` whose margin inputs differ between live and desired (or that exist on one side only). */
function moved(kind: "model" | "credit", live: readonly Resource[], desired: readonly Resource[]): Set<string> {
  const inputs: readonly string[] = kind === "model" ? MODEL_INPUTS : OPERATION_INPUTS;
  const before = new Map(live.filter((r) => r.kind === kind).map((r) => [r.address, r]));
  const out = new Set<string>();
  for (const r of desired) {
    if (r.kind !== kind) continue;
    const had = before.get(r.address);
    // Compared as the diff compares them: decimals by value, the price lists (JSON) structurally.
    if (!had || inputs.some((f) => had.fields[f] !== r.fields[f] && !sameValue(kind, f, had.fields[f], r.fields[f]))) out.add(r.address);
    before.delete(r.address);
  }
  for (const address of before.keys()) out.add(address);
  return out;
}

/**
 * The margin lines of one side where a row can move, in operation and model
 * order: the moved models against every operation, and the other models
 * against the moved operations. A catalog of 10k models x a dozen operations
 * is not recomputed for one price change, nor twice on a first apply.
 */
function linesWhereMoved(resources: readonly Resource[], movedModels: Set<string>, movedOps: Set<string>): MarginLine[] {
  const models = resources.filter((r) => r.kind === "model");
  const credits = resources.filter((r) => r.kind === "credit");
  const lines: MarginLine[] = [];
  if (movedModels.size) appendAll(lines, computeMargins(models.filter((m) => movedModels.has(m.address)), credits));
  if (movedOps.size) appendAll(lines, computeMargins(models.filter((m) => !movedModels.has(m.address)), credits.filter((c) => movedOps.has(c.address))));
  return lines.sort(byOperationAndModel);
}

/**
 * Margins before (live) and after (desired), joined per operation and model:
 * the rows whose figures move (a price, a charge, or a model or operation
 * switched on or off), in operation and model order.
 */
export function marginRows(live: readonly Resource[], desired: readonly Resource[]): MarginRow[] {
  const movedModels = moved("model", live, desired);
  const movedOps = moved("credit", live, desired);
  const before = linesWhereMoved(live, movedModels, movedOps);
  const after = linesWhereMoved(desired, movedModels, movedOps);
  const rows: MarginRow[] = [];
  // Both sides are in the same order: a merge join.
  for (let i = 0, j = 0; i < before.length || j < after.length; ) {
    const order = i === before.length ? 1 : j === after.length ? -1 : byOperationAndModel(before[i]!, after[j]!);
    const b = order <= 0 ? before[i++] : undefined;
    const a = order >= 0 ? after[j++] : undefined;
    if (b && a && samePrices(b, a)) continue;
    const any = (a ?? b)!;
    const row: MarginRow = { operation_type: any.operation_type, model_id: any.model_id, unit: any.unit, per: any.per, before: b ? b.figures : null, after: a ? a.figures : null };
    if ((b && hasPriceRange(b)) || (a && hasPriceRange(a))) row.prices = { before: b ? priceRange(b) : null, after: a ? priceRange(a) : null };
    rows.push(row);
  }
  return rows;
}

/** Same figures at the worst and the cheapest price, from the same dimensions: nothing to show. */
const samePrices = (b: MarginLine, a: MarginLine) =>
  b.dimension === a.dimension && JSON.stringify(b.figures) === JSON.stringify(a.figures) && JSON.stringify(b.cheapest) === JSON.stringify(a.cheapest);

/** More than one price for the unit: the worst and the cheapest differ. */
const hasPriceRange = (l: MarginLine) => l.cheapest.dimension !== l.dimension;
const priceRange = (l: MarginLine) => ({ dimension: l.dimension, cheapest: l.cheapest });

export function planImpact(input: { desired: readonly Resource[]; live: readonly Resource[] }): PlanImpact {
  return { margins: marginRows(input.live, input.desired) };
}
