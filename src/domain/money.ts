import { Decimal } from "decimal.js";

/**
 * Money and rates are decimal strings end to end ("0.04", "2.5"), never binary
 * floats. This is the canonical form used for comparing, hashing and storing:
 * no exponent, no trailing zeros, so 0.040 and 0.04 are the same value.
 */
export type DecimalString = string;

const DecimalCtx = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
/** The decimal constructor (precision 40) and its instance type. */
export const Dec = DecimalCtx;
export type Dec = Decimal;

/** YAML gives a number (0.040 parses as 0.04) or a string; both become the canonical decimal string. */
export function toDecimalString(value: number | string | { toString(): string }): DecimalString {
  const text = typeof value === "number" ? numberToExactText(value) : String(value).trim();
  return canonicalPlainDecimal(text) ?? new DecimalCtx(text).toFixed();
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * new Dec(text).toFixed() for a decimal in plain notation ("2.00", "0.040",
 * "-007.5"), without a decimal object: most prices are written so, and a
 * 10k-model plan canonicalises each several times. Undefined for any other
 * text (an exponent, a lone point, a sign of its own), which Dec reads.
 */
export function canonicalPlainDecimal(text: string): string | undefined {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = ""] = m as unknown as [string, string, string, string | undefined];
  let i = 0;
  while (i < whole.length - 1 && whole.charCodeAt(i) === 0x30) i++;
  let j = fraction.length;
  while (j > 0 && fraction.charCodeAt(j - 1) === 0x30) j--;
  const digits = whole.slice(i) + (j ? "." + fraction.slice(0, j) : "");
  return digits === "0" ? "0" : sign + digits;
}

/**
 * A JS number's shortest round-trip text is the decimal the author wrote for any
 * literal of at most 15 significant digits, which covers every price we handle.
 */
function numberToExactText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

export function dec(value: number | string | Dec): Dec {
  return value instanceof DecimalCtx ? value : new DecimalCtx(typeof value === "number" ? numberToExactText(value) : value);
}

export function decimalEquals(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  // Equal values have one canonical text (Dec's toFixed keeps every digit: nothing rounds).
  return a === b || toDecimalString(a) === toDecimalString(b);
}

/*
 * Presentation (one rule for every renderer and the plan's JSON):
 * - rounding is half-up (ties away from zero): 98.125 % shows as 98.13 %;
 * - a percentage has two decimals, always ("60.00 %");
 * - money is to the cent from a dollar up ($6.10, $57.00, $1,234.50 is
 *   printed $1234.50); under a dollar, where unit prices live, to four
 *   significant digits and never fewer than two decimals ($0.10, $0.042,
 *   $0.008, $0.1605, $0.0005394).
 * JSON keeps decimal strings: money to six places, percentages to two.
 */
const HALF_UP = Decimal.ROUND_HALF_UP;

/** A money figure as the plan's JSON keeps it: six decimal places at most, half-up, canonical. */
export function usdFigure(value: Dec | string): string {
  return dec(value).toDecimalPlaces(6, HALF_UP).toFixed();
}

/** A percentage as the plan's JSON keeps it: exactly two decimals, half-up. `ratio` 0.6 -> "60.00". */
export function pctFigure(ratio: Dec): string {
  return ratio.times(100).toDecimalPlaces(2, HALF_UP).toFixed(2);
}

/** Money for people: "$57.00", "$0.10", "$0.008", "-$1.25" (the rule above). */
export function formatUsd(value: Dec | string): string {
  const d = dec(value);
  const abs = d.abs();
  let fixed: string;
  if (abs.gte(1) || abs.isZero()) fixed = abs.toDecimalPlaces(2, HALF_UP).toFixed(2);
  else {
    const significant = abs.toSignificantDigits(4, HALF_UP);
    fixed = significant.gte(1) ? significant.toFixed(2) : significant.decimalPlaces() <= 2 ? significant.toFixed(2) : significant.toFixed();
  }
  const negative = d.isNeg() && !dec(fixed).isZero();
  return (negative ? "-$" : "$") + fixed;
}

/** A percentage figure for people: "60.00 %"; "n/a" when there is none. */
export function formatPct(value: Dec | string | null): string {
  return value === null ? "n/a" : `${dec(value).toDecimalPlaces(2, HALF_UP).toFixed(2)} %`;
}
