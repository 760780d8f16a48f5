import { diagnostic, type Diagnostic, type SourceRef } from "../../domain/diagnostic.js";
import type { DesiredState } from "../../domain/state.js";
import type { PolicyDoc } from "../../schema/documents.js";
import { linesBelowFloor } from "../../domain/margin.js";
import { dec, formatPct, formatUsd } from "../../domain/money.js";
import { modelPrices } from "../../domain/prices.js";
import { at, docsOf, moneyAt } from "../documents.js";
import { MONEY_TEXT } from "../../schema/fields.js";
import { MONEY_RULE } from "./fields.js";
import { closest } from "../../domain/suggest.js";
import { creditsOf, modelsOf, sourceOf, type Rule } from "./types.js";

/**
 * Every active operation earns at least the policy's margin on every active
 * model it can run on (SPEC §2.6). A per-operation floor replaces the global one.
 */
export const minimumMargins: Rule = {
  name: "minimum-margins",
  needs: ["ModelCatalog", "CreditCosts", "Policy"],
  check({ desired }) {
    // The policy in force: policies.yaml, with the environment's policies merged over it (--env).
    const policy = desired.policy;
    if (!policy) return [];
    const global = policy.min_margin_pct;
    const byOperation = policy.min_margin_pct_by_operation ?? {};
    const credits = creditsOf(desired);
    const floorOf = (operation: string) => byOperation[operation as keyof typeof byOperation]?.min_margin_pct ?? global;
    const out: Diagnostic[] = [];
    for (const line of linesBelowFloor(modelsOf(desired), credits, floorOf)) {
      const specific = byOperation[line.operation_type as keyof typeof byOperation];
      const floor = floorOf(line.operation_type)!;
      const op = credits.find((c) => c.key.operation_type === line.operation_type)!;
      const f = line.figures;
      const per = line.unit === "image" ? "per image" : "per 1M tokens";
      const floorFrom = specific ? `the ${line.operation_type} floor` : "min_margin_pct";
      out.push(
        diagnostic(
          "error",
          "policy.margin",
          `${line.operation_type} on ${line.model_id}: margin ${formatPct(f.margin_pct)} is below ${floorFrom} of ${floor} % ` +
            `(charge ${formatUsd(f.charge)} vs cost ${formatUsd(f.cost)} ${per}); reprice the operation, deactivate the model, or set a floor with a note`,
          sourceOf(op, "price_per_credit_usd"),
        ),
      );
    }
    return out;
  },
};

/** A per-operation floor must name an operation credits.yaml declares (operations are data, not an enum in the code). */
export const policyOperations: Rule = {
  name: "policy-operations",
  needs: ["CreditCosts", "Policy"],
  check({ docs, desired }) {
    const policy = docsOf(docs, "Policy")[0];
    if (!policy) return [];
    return unknownPolicyOperations(policy.data, desired, (path, part) => at(policy, path, part));
  },
};

type Locate = (path: (string | number)[], part?: "value" | "key") => SourceRef;

/** Per-operation floors naming no declared operation (policies.yaml, or an environment's `policies`, at `locate`). */
export function unknownPolicyOperations(policy: Pick<PolicyDoc, "min_margin_pct_by_operation">, desired: DesiredState, locate: Locate): Diagnostic[] {
  const declared = creditsOf(desired).map((c) => c.key.operation_type ?? "");
  return Object.keys(policy.min_margin_pct_by_operation ?? {})
    .filter((op) => !declared.includes(op))
    .map((op) => {
      const near = closest(op, declared);
      return diagnostic(
        "error",
        "policy.unknown-operation",
        `min_margin_pct_by_operation names operation ${op}, which credits.yaml does not declare${near ? `; did you mean \`${near}\`?` : ""}`,
        locate(["min_margin_pct_by_operation", op], "key"),
      );
    });
}

/** A protected address must name something declared, or the protection guards nothing. */
export const protectedAddresses: Rule = {
  name: "protected-addresses",
  needs: ["ModelCatalog", "CreditCosts", "IntegrationSettings", "SettingsSchemas", "Account", "Policy"],
  check({ docs, desired }) {
    const policy = docsOf(docs, "Policy")[0];
    if (!policy) return [];
    return unknownProtected(policy.data, desired, (path, part) => at(policy, path, part));
  },
};

/** Protected addresses naming nothing declared (policies.yaml, or an environment's `policies`, at `locate`). */
export function unknownProtected(policy: Pick<PolicyDoc, "protected">, desired: DesiredState, locate: Locate): Diagnostic[] {
  const addresses = desired.resources.map((r) => r.address);
  const out: Diagnostic[] = [];
  (policy.protected ?? []).forEach((addr, i) => {
    if (addresses.includes(addr)) return;
    const near = closest(addr, addresses);
    out.push(
      diagnostic(
        "error",
        "policy.protected-unknown",
        `protected address ${addr} is not declared in the configuration${near ? `; did you mean \`${near}\`?` : ""}`,
        locate(["protected", i]),
      ),
    );
  });
  return out;
}

/**
 * A price above its unit's ceiling is almost always a unit slip (a per-token
 * price typed into a per-1M field is 1,000,000 times too small; the reverse,
 * too large): validate fails at the field unless the policy lists the model.
 */
export const priceCeilings: Rule = {
  name: "price-ceilings",
  needs: ["ModelCatalog", "Policy"],
  alone: true,
  check({ docs, desired }) {
    const policy = docsOf(docs, "Policy")[0];
    const ceilings = policy?.data.price_ceilings;
    if (!policy || !ceilings) return [];
    const out: Diagnostic[] = [];
    // Each ceiling as written (never through a JS float), by the money rule every price meets.
    const max = new Map<string, string>();
    for (const [unit, ceiling] of Object.entries(ceilings)) {
      if (!ceiling) continue;
      const path = ["price_ceilings", unit, "max"];
      const written = moneyAt(policy, path, ceiling.max)!;
      if (MONEY_TEXT.test(written)) max.set(unit, written);
      else out.push(diagnostic("error", "money.not-exact", `price_ceilings.${unit}.max is ${written.slice(0, 40)}: ${MONEY_RULE}`, at(policy, path)));
    }
    for (const m of modelsOf(desired)) {
      const id = m.key.model_id ?? m.address;
      for (const price of modelPrices(m)) {
        const ceiling = ceilings[price.unit];
        const limit = max.get(price.unit);
        if (!ceiling || limit === undefined || ceiling.except?.includes(id) || !price.amount.gt(dec(limit))) continue;
        out.push(
          diagnostic(
            "error",
            "policy.price-ceiling",
            `model ${id}: ${price.dimension} = ${price.amount.toFixed()} is above the ${price.unit} ceiling of ${dec(limit).toFixed()} ` +
              `(a per-token price typed as per 1M?); fix the unit, or list the model under price_ceilings.${price.unit}.except`,
            sourceOf(m, price.field),
          ),
        );
      }
    }
    return out;
  },
};
