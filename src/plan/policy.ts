import { dec, formatPct, pctFigure } from "../domain/money.js";
import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import type { DesiredState, LiveState } from "../domain/state.js";
import { SCALAR_PRICES } from "../schema/prices.js";
import type { Change } from "./types.js";

/** Price fields a change-size policy watches, by kind. */
export const PRICE_FIELDS: Record<string, readonly string[]> = {
  // Every scalar price dimension (src/schema/prices.ts); tiers and image_prices are lists it does not size.
  model: SCALAR_PRICES.map((p) => p.field),
  credit: ["price_per_credit_usd", "credits", "min_credits", "tokens_per_credit"],
};

/** What each watched field is, so a diagnostic never calls a minimum or a ratio "a price" without saying which. */
const PRICE_FIELD_MEANING: Record<string, string> = {
  input_token_rate: "USD per 1M input tokens",
  output_token_rate: "USD per 1M output tokens",
  cost_per_image: "provider cost per image, USD",
  price_per_credit_usd: "the price of one credit, USD",
  credits: "credits charged per image",
  min_credits: "the minimum charge per call, in credits",
  tokens_per_credit: "tokens one credit buys: more is cheaper",
};

/**
 * Guardrails that need the live values (SPEC §2.6): the size of a price change
 * made in Git, and resources that may never be deleted. The checks that need
 * no database run in `validate`.
 *
 * The price-change guard measures what Git changed: the new value against the
 * value cfgsync last applied (the live value only for a row cfgsync never
 * applied). Restoring a price someone changed by hand in the database (drift)
 * is no change in Git: it is shown as drift and never blocked, so one
 * out-of-band edit can neither block every later apply nor be reported as if
 * the YAML line had changed.
 */
export function planPolicyDiagnostics(input: { changes: Change[]; desired: DesiredState; live: Pick<LiveState, "lastApplied"> }): Diagnostic[] {
  const policy = input.desired.policy;
  if (!policy) return [];
  const out: Diagnostic[] = [];
  const protectedSet = new Set(policy.protected ?? []);
  const where = policy.source;

  for (const change of input.changes) {
    if (change.action === "delete" && protectedSet.has(change.address)) {
      out.push(
        diagnostic("error", "policy.protected", `${change.address} is protected by policy and cannot be deleted; restore it in config/ or remove it from \`protected\` first`, where),
      );
    }
    const maxPct = policy.max_price_change_pct;
    if (maxPct === undefined || (change.action !== "update" && change.action !== "drift")) continue;
    const applied = input.live.lastApplied.get(change.address);
    for (const field of change.fields) {
      if (!PRICE_FIELDS[change.kind]?.includes(field.name) || "sensitive" in field) continue;
      // What Git changed it from: the last applied value, else (never applied) the live one.
      const gitBefore = applied && field.name in applied ? applied[field.name] : field.before;
      if (gitBefore == null || field.after == null || typeof gitBefore === "object") continue;
      const before = dec(String(gitBefore));
      const after = dec(String(field.after));
      if (before.isZero() || before.eq(after)) continue;
      const ratio = after.minus(before).div(before).abs();
      if (ratio.times(100).gt(maxPct)) {
        out.push(
          diagnostic(
            "error",
            "policy.max-price-change",
            `${change.address}: ${field.name} (${PRICE_FIELD_MEANING[field.name] ?? "a price"}) changes from ${before.toFixed()} to ${after.toFixed()} (${formatPct(pctFigure(ratio))}), more than the policy's max_price_change_pct of ${maxPct} %`,
            // An environment's override is where the new price is written.
            field.origin ? { ...field.origin, col: 1 } : change.source ? { file: change.source.file, line: change.source.line, col: 1 } : where,
          ),
        );
      }
    }
  }
  return out;
}
