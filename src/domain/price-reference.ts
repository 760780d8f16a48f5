import { dec, type Dec } from "./money.js";
import { modelPrices } from "./prices.js";
import type { Resource } from "./resources.js";

/*
 * A public price list against the catalog (issue #10): what an import did, and
 * the comparison: for every configured
 * model the reference prices, each price dimension side by side with the
 * ratio; a ratio that is a power of 1,000 is a unit mistake (a per-token
 * price typed into a per-1M field). Pure: resources and reference models in.
 */

/** A model as a reference prices it, in catalog units and field names (money as canonical decimal strings). */
export interface ReferenceModel {
  model_id: string;
  provider: string;
  /** The reference's keys this model was built from (size x quality variants make one model). */
  sourceKeys: string[];
  fields: Record<string, unknown>;
  /** Prices the column's scale could not hold exactly (float noise), rounded. */
  rounded: RoundedPrice[];
}

export interface RoundedPrice {
  model_id: string;
  field: string;
  source: string;
  stored: string;
}

export interface FieldUpdate {
  field: string;
  before: unknown;
  after: unknown;
}

/** What `catalog import` did, for its text and JSON output. */
export interface ImportReport {
  added: { model_id: string; provider: string; file: string }[];
  updated: { model_id: string; file: string; fields: FieldUpdate[] }[];
  unchanged: number;
  skipped: { reason: string; count: number; keys: string[] }[];
  /** Entries of providers not asked for (`--provider`). */
  not_selected: number;
  rounded: RoundedPrice[];
  /** Reference fields the catalog has no place for, with how many imported entries carry one. */
  fields_without_place: { field: string; entries: number }[];
}

export interface PriceDifference {
  model_id: string;
  /** The price dimension: `output_token_rate`, `image_prices[1024x1792 hd]`, `context_tiers[>200000].input_token_rate`. */
  field: string;
  ours: string | null;
  theirs: string;
  /** ours / theirs, to 6 significant digits; null when ours is missing or theirs is zero. */
  ratio: string | null;
  /** Set when the ratio is a power of 1,000: `per token typed as per 1M` and the like. */
  unit_mistake: string | null;
}

export interface CompareReport {
  reference: { entries: number; models: number };
  compared: number;
  differences: PriceDifference[];
  deprecated: { model_id: string; reference_date: string; our_date: string | null }[];
  /** Configured models the reference has no entry for. */
  not_in_reference: string[];
}

/** Something differs: a price, a unit, or a deprecation date the catalog does not carry. */
export function hasDifferences(report: CompareReport): boolean {
  return report.differences.length > 0 || report.deprecated.some((d) => d.our_date !== d.reference_date);
}

export function compareCatalog(models: readonly Resource[], reference: readonly ReferenceModel[], referenceEntries: number): CompareReport {
  const byId = new Map(reference.map((m) => [m.model_id, m]));
  const report: CompareReport = {
    reference: { entries: referenceEntries, models: reference.length },
    compared: 0,
    differences: [],
    deprecated: [],
    not_in_reference: [],
  };
  for (const model of models.filter((r) => r.kind === "model")) {
    const id = model.key.model_id ?? model.address;
    const theirs = byId.get(id);
    if (!theirs) {
      report.not_in_reference.push(id);
      continue;
    }
    report.compared += 1;
    const ours = new Map(modelPrices(model).map((p) => [p.dimension, p.amount]));
    const referencePrices = modelPrices({ ...model, fields: theirs.fields as Resource["fields"] });
    for (const p of referencePrices) {
      const mine = ours.get(p.dimension);
      if (mine !== undefined && mine.eq(p.amount)) continue;
      report.differences.push(difference(id, p.dimension, mine ?? null, p.amount));
    }
    const date = theirs.fields.deprecation_date;
    if (typeof date === "string") {
      const mine = model.fields.deprecation_date;
      report.deprecated.push({ model_id: id, reference_date: date, our_date: typeof mine === "string" ? mine : null });
    }
  }
  report.not_in_reference.sort();
  return report;
}

function difference(modelId: string, field: string, ours: Dec | null, theirs: Dec): PriceDifference {
  const ratio = ours === null || theirs.isZero() ? null : ours.div(theirs);
  return {
    model_id: modelId,
    field,
    ours: ours === null ? null : ours.toFixed(),
    theirs: theirs.toFixed(),
    ratio: ratio === null ? null : ratio.toSignificantDigits(6).toFixed(),
    unit_mistake: ratio === null ? null : unitMistake(ratio),
  };
}

const UNIT_SLIPS: Record<number, string> = {
  [-2]: "per-token price typed as per 1M (1,000,000 times too small)",
  [-1]: "1,000 times too small (per 1k typed as per unit?)",
  1: "1,000 times too large (per unit typed as per 1k?)",
  2: "per-1M price where a per-token one was meant (1,000,000 times too large)",
};

/** A ratio within 2 % of 1000^k (k != 0) is a unit slip, not a price change. */
function unitMistake(ratio: Dec): string | null {
  if (ratio.lte(0)) return null;
  const k = Math.round(ratio.log(10).toNumber() / 3);
  if (k === 0) return null;
  const nearest = dec(1000).pow(k);
  const off = ratio.div(nearest).minus(1).abs();
  if (off.gt(0.02)) return null;
  return UNIT_SLIPS[k] ?? `${nearest.toFixed()} times the reference (a unit slip)`;
}
