import { dec, formatPct, formatUsd } from "../domain/money.js";
import type { MarginFigures, MarginRow } from "../plan/types.js";

/*
 * How every renderer prints the plan's figures (text, Markdown, the impact
 * sections): the rule is domain/money.ts's (money to the cent or the unit
 * price's meaningful decimals, percentages with two decimals, half-up); here
 * it meets the plan's shapes. A negative margin carries a sign AND a word, so
 * it reads without colour.
 */

export const LOSS = "(loss)";

const isNegative = (v: string | null | undefined) => v != null && dec(v).isNeg() && !dec(v).isZero();

export const money = (v: string | null | undefined): string => (v == null ? "-" : formatUsd(v));
export const percent = (v: string | null | undefined): string => (v == null ? "n/a" : formatPct(v));
/** "+$1.25" / "-$1.25" / "$0.00": a change. */
export const signedMoney = (v: string): string => (dec(v).isZero() ? formatUsd(v) : isNegative(v) ? formatUsd(v) : `+${formatUsd(v)}`);
/** A margin in money or percent, marked when it is a loss. */
export const marginMoney = (v: string | null | undefined): string => money(v) + (isNegative(v) ? ` ${LOSS}` : "");
export const marginPercent = (v: string | null | undefined): string => percent(v) + (isNegative(v) ? ` ${LOSS}` : "");

/** "a -> b", or just "a" when nothing moved. */
export const move = (a: string, b: string, arrow = "->"): string => (a === b ? a : `${a} ${arrow} ${b}`);

/** What the margin table's figures are per, in words. */
export const MARGIN_BASIS_NOTE = "image operations per image; token operations per 1M output tokens, and the minimum a call below min_credits pays";

/** A token operation's minimum charge: "$0.03 per call up to 300 tokens"; "-" for image operations. */
export function minimum(f: MarginFigures | null): string {
  if (!f || f.min_charge === undefined) return "-";
  return `${money(f.min_charge)} per call up to ${(f.min_charge_tokens ?? 0).toLocaleString("en")} tokens`;
}

export interface MarginCells {
  cost: string;
  charge: string;
  margin: string;
  margin_pct: string;
  markup_pct: string;
  /** "" for image operations. */
  minimum: string;
}

/** One margin row's figures, before -> after, each as printed. */
export function marginCells(row: MarginRow, arrow = "->"): MarginCells {
  const both = (f: (m: MarginFigures | null) => string) => move(row.before ? f(row.before) : "-", row.after ? f(row.after) : "-", arrow);
  return {
    cost: both((m) => money(m?.cost)),
    charge: both((m) => money(m?.charge)),
    margin: both((m) => marginMoney(m?.margin)),
    margin_pct: both((m) => marginPercent(m?.margin_pct)),
    markup_pct: both((m) => marginPercent(m?.markup_pct)),
    minimum: row.unit === "tokens" ? both(minimum) : "",
  };
}

/** The margin line of the text plan: `op x model: cost .., charge .., margin .., markup ..[, minimum ..]`. */
export function marginLineText(row: MarginRow): string {
  const c = marginCells(row);
  return (
    `  ${row.operation_type} x ${row.model_id}: cost ${c.cost}, charge ${c.charge}, margin ${c.margin_pct}, markup ${c.markup_pct}` +
    (c.minimum ? `, minimum ${c.minimum}` : "")
  );
}

/** Whether a row ends at a loss (for the text renderer's colour, on top of the marker). */
export const endsAtLoss = (row: MarginRow): boolean => isNegative(row.after?.margin_pct ?? null);

/**
 * Which price dimension the worst and the cheapest cost come from, for a model
 * with more than one price (issue #10); null for a single-price model.
 */
export function priceRangeLine(row: MarginRow): string | null {
  const p = row.prices?.after ?? row.prices?.before;
  if (!p) return null;
  const c = p.cheapest.figures;
  return `at the worst price: ${p.dimension}; cheapest: ${p.cheapest.dimension} (cost ${money(c.cost)}, margin ${marginPercent(c.margin_pct)})`;
}
