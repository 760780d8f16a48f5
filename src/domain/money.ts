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
  // Already canonical ("0.04", "12", "-2.5"): most prices are; no decimal object needed.
  if (CANONICAL.test(text) && text !== "-0") return text;
  return new DecimalCtx(text).toFixed();
}

/** Canonical decimal text: no exponent, no leading zeros, no trailing fractional zeros. */
const CANONICAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

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
  if (a === b) return true;
  return dec(a).eq(dec(b));
}

/** Round for display only; never feed the result back into arithmetic. */
export function formatUsd(value: Dec | string, places = 4): string {
  const d = dec(value);
  const fixed = d.toDecimalPlaces(places).toFixed();
  return (d.isNeg() ? "-$" : "$") + (fixed.startsWith("-") ? fixed.slice(1) : fixed);
}

export function formatPct(value: Dec | null, places = 1): string {
  return value === null ? "n/a" : `${value.toDecimalPlaces(places).toFixed(places)} %`;
}
