import { Dec, dec, pctFigure, usdFigure } from "./money.js";
import { costCandidates, costRange } from "./prices.js";
import type { Resource } from "./resources.js";

/**
 * Margin of one credit operation against one model (SPEC §2.6). Pure: it is
 * handed the resources and returns numbers.
 *
 * - billed per `image`: charge = max(credits, min_credits) x price_per_credit_usd,
 *   cost = the model's cost_per_image or image_prices entry, for every active image model;
 * - billed per `tokens`: charge per 1M tokens = 1,000,000 / tokens_per_credit x
 *   price_per_credit_usd, cost = the model's output rate (the conservative side:
 *   output_token_rate, batch, long-context tiers), for every active text model.
 * margin = charge - cost; margin % = margin / charge; markup % = margin / cost.
 * Each line is computed at the worst cost the operation can hit (the dearest
 * tier, size or quality: what the policy checks) and at the cheapest, each with
 * the price dimension it comes from (domain/prices.ts).
 */
/** One margin as plans store it: decimal strings (USD; percentages), display precision. */
export interface MarginFigures {
  cost: string;
  charge: string;
  margin: string;
  margin_pct: string | null;
  markup_pct: string | null;
  /**
   * Token operations: what a call below min_credits pays (min_credits x
   * price_per_credit_usd) and how many tokens that minimum covers
   * (min_credits x tokens_per_credit); a smaller call pays it all the same.
   */
  min_charge?: string;
  min_charge_tokens?: number;
}

/** What a margin is per, named: the JSON says it instead of leaving "tokens" to mean per 1M output tokens. */
export type MarginBasis = "per_image" | "per_1m_output_tokens";
export const marginBasis = (unit: "image" | "tokens"): MarginBasis => (unit === "image" ? "per_image" : "per_1m_output_tokens");

export interface MarginLine {
  operation_type: string;
  model_id: string;
  unit: "image" | "tokens";
  per: MarginBasis;
  /** Display figures at the worst price the operation can hit (what the policy checks): USD to 6 places, percentages to 2. */
  figures: MarginFigures;
  /** The price dimension the worst cost comes from: `cost_per_image`, `image_prices[1024x1792 hd]`, `context_tiers[>200000].output_token_rate`. */
  dimension: string;
  /** The same operation at the cheapest price it can hit (equal to the worst when the model has one price). */
  cheapest: { dimension: string; figures: MarginFigures };
  /**
   * Exact values for comparing against a policy floor: a per-token charge such
   * as 1,000,000 / 300 x 0.005 has no finite decimal form, so it is kept as the
   * fraction chargeNumerator / chargeDenominator.
   */
  exact: { cost: Dec; chargeNumerator: Dec; chargeDenominator: Dec };
}

const MILLION = new Dec(1_000_000);

export function computeMargins(models: readonly Resource[], credits: readonly Resource[]): MarginLine[] {
  const lines: MarginLine[] = [];
  const activeModels = models.filter((m) => m.kind === "model" && m.fields.is_active === true);
  for (const op of credits) {
    if (op.kind !== "credit" || op.fields.is_active === false) continue;
    const unit = op.fields.unit;
    const fraction = chargeFraction(op);
    if (fraction === null || (unit !== "image" && unit !== "tokens")) continue;
    const charge = fraction.numerator.div(fraction.denominator);
    for (const model of activeModels) {
      const range = costRange(costCandidates(model, unit));
      if (range === null) continue;
      const cost = range.worst.cost;
      lines.push({
        operation_type: op.key.operation_type ?? op.address,
        model_id: model.key.model_id ?? model.address,
        unit,
        per: marginBasis(unit),
        figures: { ...marginFigures(cost, charge), ...minimumCharge(op) },
        dimension: range.worst.dimension,
        cheapest: { dimension: range.cheapest.dimension, figures: marginFigures(range.cheapest.cost, charge) },
        exact: { cost, chargeNumerator: fraction.numerator, chargeDenominator: fraction.denominator },
      });
    }
  }
  return lines.sort((a, b) => cmp(a.operation_type, b.operation_type) || cmp(a.model_id, b.model_id));
}

/** The customer charge per image, or per 1M tokens; null when the rule lacks what it needs. */
export function chargeOf(op: Resource): Dec | null {
  const fraction = chargeFraction(op);
  return fraction && fraction.numerator.div(fraction.denominator);
}

function chargeFraction(op: Resource): { numerator: Dec; denominator: Dec } | null {
  const price = decimalField(op, "price_per_credit_usd");
  if (price === null) return null;
  if (op.fields.unit === "image") {
    const credits = Math.max(intField(op, "credits") ?? 0, intField(op, "min_credits") ?? 0);
    return { numerator: price.times(credits), denominator: new Dec(1) };
  }
  const perCredit = intField(op, "tokens_per_credit");
  if (!perCredit) return null;
  return { numerator: MILLION.times(price), denominator: new Dec(perCredit) };
}

export function marginFigures(cost: Dec, charge: Dec): MarginFigures {
  const margin = charge.minus(cost);
  return {
    cost: usd(cost),
    charge: usd(charge),
    margin: usd(margin),
    margin_pct: charge.isZero() ? null : pct(margin.div(charge)),
    markup_pct: cost.isZero() ? null : pct(margin.div(cost)),
  };
}

/**
 * Whether margin / charge >= floorPct %, exactly: with charge = n / d (d > 0),
 * (n/d - cost) x 100 >= n/d x floor  <=>  (n - cost x d) x 100 >= n x floor.
 * A zero charge meets no floor.
 */
export function meetsFloor(line: Pick<MarginLine, "exact">, floorPct: number | string): boolean {
  const { cost, chargeNumerator: n, chargeDenominator: d } = line.exact;
  if (n.isZero()) return false;
  return n.minus(cost.times(d)).times(100).gte(n.times(dec(floorPct)));
}

/** A token operation's minimum charge per call and the tokens it covers; {} for image operations. */
export function minimumCharge(op: Resource): Pick<MarginFigures, "min_charge" | "min_charge_tokens"> {
  const price = decimalField(op, "price_per_credit_usd");
  const perCredit = intField(op, "tokens_per_credit");
  if (op.fields.unit !== "tokens" || price === null || !perCredit) return {};
  const min = intField(op, "min_credits") ?? 0;
  return { min_charge: usd(price.times(min)), min_charge_tokens: min * perCredit };
}

const usd = usdFigure;
const pct = pctFigure;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function decimalField(r: Resource, name: string): Dec | null {
  const v = r.fields[name];
  return typeof v === "string" || typeof v === "number" ? dec(v) : null;
}

function intField(r: Resource, name: string): number | null {
  const v = r.fields[name];
  return typeof v === "number" ? v : null;
}
