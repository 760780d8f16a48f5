import { Dec, dec, toDecimalString } from "./money.js";
import type { Resource } from "./resources.js";

/**
 * Margin of one credit operation against one model (SPEC §2.6). Pure: it is
 * handed the resources and returns numbers.
 *
 * - billed per `image`: charge = max(credits, min_credits) x price_per_credit_usd,
 *   cost = the model's cost_per_image, for every active image model;
 * - billed per `tokens`: charge per 1M tokens = 1,000,000 / tokens_per_credit x
 *   price_per_credit_usd, cost = the model's output_token_rate (the conservative
 *   side), for every active text model.
 * margin = charge - cost; margin % = margin / charge; markup % = margin / cost.
 */
/** One margin as plans store it: decimal strings (USD; percentages), display precision. */
export interface MarginFigures {
  cost: string;
  charge: string;
  margin: string;
  margin_pct: string | null;
  markup_pct: string | null;
}

export interface MarginLine {
  operation_type: string;
  model_id: string;
  unit: "image" | "tokens";
  /** Display figures: USD to 6 places, percentages to 2. */
  figures: MarginFigures;
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
    const priced = pricedOperation(op);
    if (!priced) continue;
    for (const model of activeModels) {
      const cost = costOf(model, priced.unit);
      if (cost !== null) lines.push(marginLine(op, model, priced, cost));
    }
  }
  return lines.sort(byOperationAndModel);
}

/** An active operation with everything its charge needs, or null. */
function pricedOperation(op: Resource): { unit: "image" | "tokens"; numerator: Dec; denominator: Dec } | null {
  if (op.kind !== "credit" || op.fields.is_active === false) return null;
  const unit = op.fields.unit;
  const fraction = chargeFraction(op);
  if (fraction === null || (unit !== "image" && unit !== "tokens")) return null;
  return { unit, ...fraction };
}

function marginLine(op: Resource, model: Resource, priced: NonNullable<ReturnType<typeof pricedOperation>>, cost: Dec): MarginLine {
  return {
    operation_type: op.key.operation_type ?? op.address,
    model_id: model.key.model_id ?? model.address,
    unit: priced.unit,
    figures: marginFigures(cost, priced.numerator.div(priced.denominator)),
    exact: { cost, chargeNumerator: priced.numerator, chargeDenominator: priced.denominator },
  };
}

const byOperationAndModel = (a: MarginLine, b: MarginLine) => cmp(a.operation_type, b.operation_type) || cmp(a.model_id, b.model_id);

/**
 * The lines that miss their floor (`floorOf` an operation; undefined: no floor),
 * the same verdicts as computeMargins + meetsFloor, without a decimal object per
 * operation x model: 10k models x a dozen operations is 100k+ cells. A cost
 * meets a floor f exactly when cost <= n x (100 - f) / (100 x d) (charge = n / d);
 * each operation's bound is worked out once as an integer in units of 10^-S
 * (S: the most decimal places of any cost) and each model's cost once as a
 * BigInt in the same units, so a cell is one integer comparison. Decimal
 * figures are computed for the failing lines only.
 */
export function linesBelowFloor(
  models: readonly Resource[],
  credits: readonly Resource[],
  floorOf: (operationType: string) => number | string | undefined,
): MarginLine[] {
  const activeModels = models.filter((m) => m.kind === "model" && m.fields.is_active === true);
  const costs = { image: scaledCosts(activeModels, "image"), tokens: scaledCosts(activeModels, "tokens") };
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
    for (const [model, scaled] of byModel) {
      if (bound !== null && scaled <= bound) continue;
      out.push(marginLine(op, model, priced, costOf(model, priced.unit)!));
    }
  }
  return out.sort(byOperationAndModel);
}

/** Each model's cost for `unit` as an integer number of 10^-scale dollars. */
function scaledCosts(models: readonly Resource[], unit: "image" | "tokens"): { scale: number; byModel: [Resource, bigint][] } {
  const texts: [Resource, string][] = [];
  let scale = 0;
  for (const m of models) {
    const cost = costText(m, unit);
    if (cost === null) continue;
    texts.push([m, cost]);
    const point = cost.indexOf(".");
    if (point >= 0) scale = Math.max(scale, cost.length - point - 1);
  }
  return { scale, byModel: texts.map(([m, text]) => [m, scaledInteger(text, scale)]) };
}

/** "12.5" at scale 3 -> 12500n. The text is a plain decimal (canonical, no exponent). */
function scaledInteger(text: string, scale: number): bigint {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole + fraction.padEnd(scale, "0"));
}

/** The cost of `unit` as canonical decimal text (what costOf parses), or null. */
function costText(model: Resource, unit: "image" | "tokens"): string | null {
  const type = model.fields.model_type;
  const v = unit === "image" ? (type === "image" ? model.fields.cost_per_image : null) : type === "text" ? model.fields.output_token_rate : null;
  if (typeof v === "number") return toDecimalString(v);
  return typeof v === "string" ? (PLAIN_DECIMAL.test(v) ? v : toDecimalString(v)) : null;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

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

/** The provider's cost for the unit, or null when the model is not billed that way. */
export function costOf(model: Resource, unit: "image" | "tokens"): Dec | null {
  const type = model.fields.model_type;
  if (unit === "image") return type === "image" ? decimalField(model, "cost_per_image") : null;
  return type === "text" ? decimalField(model, "output_token_rate") : null;
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

const usd = (v: Dec) => v.toDecimalPlaces(6).toFixed();
const pct = (ratio: Dec) => ratio.times(100).toDecimalPlaces(2).toFixed();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function decimalField(r: Resource, name: string): Dec | null {
  const v = r.fields[name];
  return typeof v === "string" || typeof v === "number" ? dec(v) : null;
}

function intField(r: Resource, name: string): number | null {
  const v = r.fields[name];
  return typeof v === "number" ? v : null;
}
