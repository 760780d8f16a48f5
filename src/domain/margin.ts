import { Dec, dec, pctFigure, usdFigure } from "./money.js";
import { costCandidates, costRange, type CostCandidate } from "./prices.js";
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
  const ranges = costRangesOf(models);
  for (const op of credits) {
    const priced = pricedOperation(op);
    if (!priced) continue;
    const figuresAt = figuresByCost(priced);
    for (const { model, range } of ranges(priced.unit)) lines.push(marginLine(op, model, priced, range, figuresAt));
  }
  return lines.sort(byOperationAndModel);
}

/**
 * Each active model's cost range for a unit, worked out once per unit and
 * shared by every operation billed in it (a model can carry a dozen prices;
 * 10k models x a dozen operations must not walk them per cell).
 */
function costRangesOf(models: readonly Resource[]): (unit: "image" | "tokens") => { model: Resource; range: CostSpan }[] {
  const active = models.filter((m) => m.kind === "model" && m.fields.is_active === true);
  const byUnit = new Map<"image" | "tokens", { model: Resource; range: CostSpan }[]>();
  return (unit) => {
    let ranges = byUnit.get(unit);
    if (!ranges) {
      ranges = [];
      for (const model of active) {
        const range = costRangeOf(model, unit);
        if (range !== null) ranges.push({ model, range });
      }
      byUnit.set(unit, ranges);
    }
    return ranges;
  };
}

/**
 * A model's cost range for a unit, remembered per resource object: resources
 * are never changed once built, and the states validate judges (the base,
 * each environment's, each scheduled instant's) share all but the few
 * resources they replace, so 10k models are priced once, not once per state.
 */
const knownRanges = new WeakMap<Resource, { image?: CostSpan | null; tokens?: CostSpan | null }>();
function costRangeOf(model: Resource, unit: "image" | "tokens"): CostSpan | null {
  let known = knownRanges.get(model);
  if (!known) knownRanges.set(model, (known = {}));
  let range = known[unit];
  if (range === undefined) range = known[unit] = costRange(costCandidates(model, unit));
  return range;
}

type PricedOperation = { unit: "image" | "tokens"; numerator: Dec; denominator: Dec; minimum: ReturnType<typeof minimumCharge> };
type CostSpan = { cheapest: CostCandidate; worst: CostCandidate };

/** An active operation with everything its charge needs, or null. */
function pricedOperation(op: Resource): PricedOperation | null {
  if (op.kind !== "credit" || op.fields.is_active === false) return null;
  const unit = op.fields.unit;
  const fraction = chargeFraction(op);
  if (fraction === null || (unit !== "image" && unit !== "tokens")) return null;
  return { unit, ...fraction, minimum: minimumCharge(op) };
}

/**
 * One line at the model's worst cost (what the policy checks), with the
 * operation's minimum charge, and the cheapest alongside.
 */
function marginLine(op: Resource, model: Resource, priced: PricedOperation, range: CostSpan, figuresAt: FiguresAt = figuresByCost(priced)): MarginLine {
  const cost = range.worst.cost;
  return {
    operation_type: op.key.operation_type ?? op.address,
    model_id: model.key.model_id ?? model.address,
    unit: priced.unit,
    per: marginBasis(priced.unit),
    figures: figuresAt(cost, true),
    dimension: range.worst.dimension,
    cheapest: { dimension: range.cheapest.dimension, figures: figuresAt(range.cheapest.cost, false) },
    exact: { cost, chargeNumerator: priced.numerator, chargeDenominator: priced.denominator },
  };
}

/** The order of margin lines (and of plan rows): by operation, then model. */
export const byOperationAndModel = (a: Pick<MarginLine, "operation_type" | "model_id">, b: Pick<MarginLine, "operation_type" | "model_id">) =>
  cmp(a.operation_type, b.operation_type) || cmp(a.model_id, b.model_id);

/**
 * The lines that miss their floor (`floorOf` an operation; undefined: no floor),
 * the same verdicts as computeMargins + meetsFloor, without a decimal object per
 * operation x model: 10k models x a dozen operations is 100k+ cells. A cost
 * meets a floor f exactly when cost <= n x (100 - f) / (100 x d) (charge = n / d);
 * each operation's bound is worked out once as an integer in units of 10^-S
 * (S: the most decimal places of any worst cost) and each model's worst cost
 * (catalog's dearest dimension, what the policy checks) once as a BigInt in the
 * same units, so a cell is one integer comparison. Decimal figures, with the
 * dimensions, are computed for the failing lines only.
 */
export function linesBelowFloor(
  models: readonly Resource[],
  credits: readonly Resource[],
  floorOf: (operationType: string) => number | string | undefined,
): MarginLine[] {
  const ranges = costRangesOf(models);
  const costs = { image: scaledWorstCosts(ranges("image")), tokens: scaledWorstCosts(ranges("tokens")) };
  const out: MarginLine[] = [];
  for (const op of credits) {
    const priced = pricedOperation(op);
    const floor = priced && floorOf(op.key.operation_type ?? op.address);
    if (!priced || floor === undefined || floor === null) continue;
    const { scale, byModel } = costs[priced.unit];
    // A zero charge meets no floor; else cost x 10^S <= floor(n (100 - f) 10^S / (100 d)).
    const bound = priced.numerator.isZero()
      ? null
      : BigInt(priced.numerator.times(new Dec(100).minus(dec(floor))).times(new Dec(10).pow(scale)).div(priced.denominator.times(100)).floor().toFixed());
    for (const { model, range, scaled } of byModel) {
      if (bound !== null && scaled <= bound) continue;
      out.push(marginLine(op, model, priced, range));
    }
  }
  return out.sort(byOperationAndModel);
}

/** Each model's worst cost as an integer number of 10^-scale dollars. */
function scaledWorstCosts(ranges: readonly { model: Resource; range: CostSpan }[]): { scale: number; byModel: { model: Resource; range: CostSpan; scaled: bigint }[] } {
  const worst: { model: Resource; range: CostSpan; text: string }[] = [];
  let scale = 0;
  for (const { model, range } of ranges) {
    const text = range.worst.cost.toFixed();
    worst.push({ model, range, text });
    const point = text.indexOf(".");
    if (point >= 0) scale = Math.max(scale, text.length - point - 1);
  }
  return { scale, byModel: worst.map(({ model, range, text }) => ({ model, range, scaled: scaledInteger(text, scale) })) };
}

/** "12.5" at scale 3 -> 12500n. The text is a plain decimal (Dec.toFixed(): no exponent). */
function scaledInteger(text: string, scale: number): bigint {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole + fraction.padEnd(scale, "0"));
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

/** The figures of one operation at a cost, with its minimum charge (at the worst cost) or without (at the cheapest). */
type FiguresAt = (cost: Dec, withMinimum: boolean) => MarginFigures;

/**
 * marginFigures for one operation, remembered by the cost's value: a
 * catalog's models share a few dozen prices, and 10k models x a dozen
 * operations would otherwise work out the same figures 100k+ times. Lines of
 * equal figures share one frozen object.
 */
function figuresByCost(priced: PricedOperation): FiguresAt {
  const charge = priced.numerator.div(priced.denominator);
  const known = new Map<string, [MarginFigures, MarginFigures]>();
  return (cost, withMinimum) => {
    const key = costText(cost);
    let figures = known.get(key);
    if (!figures) {
      const plain = Object.freeze(marginFigures(cost, charge));
      known.set(key, (figures = [plain, Object.keys(priced.minimum).length ? Object.freeze({ ...plain, ...priced.minimum }) : plain]));
    }
    return figures[withMinimum ? 1 : 0];
  };
}

/** A cost's text, once per decimal object: every operation looks up every model's cost. */
const costTexts = new WeakMap<Dec, string>();
function costText(cost: Dec): string {
  let text = costTexts.get(cost);
  if (text === undefined) costTexts.set(cost, (text = cost.toString()));
  return text;
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
