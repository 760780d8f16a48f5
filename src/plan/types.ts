import { UserError, type Diagnostic } from "../domain/diagnostic.js";
import type { JsonValue, ResourceKind } from "../domain/resources.js";
import type { BlastRadius, RevenueImpact } from "./impact/index.js";
import type { MarginFigures } from "../domain/margin.js";

export type { MarginFigures } from "../domain/margin.js";

/** The closed set of actions (SPEC §5). */
export type Action = "create" | "update" | "delete" | "drift" | "unmanaged";
export const ACTIONS: readonly Action[] = ["create", "update", "delete", "drift", "unmanaged"];

/**
 * One field of a change. A sensitive field never carries a value, only whether
 * it changed (by digest), so no renderer can print a secret by mistake.
 */
export type FieldChange =
  | { name: string; before: JsonValue | undefined; after: JsonValue | undefined; drifted?: boolean; sensitive?: never }
  | { name: string; sensitive: true; changed: boolean; drifted?: boolean };

export interface Change {
  address: string;
  kind: ResourceKind;
  action: Action;
  fields: FieldChange[];
  source?: { file: string; line: number };
}

export interface MarginRow {
  operation_type: string;
  model_id: string;
  unit: "image" | "tokens";
  /** Decimal strings (USD); "per" says per what (image, 1M tokens). */
  before: MarginFigures | null;
  after: MarginFigures | null;
  /**
   * Set when the model has more than one price for the unit (image sizes x
   * qualities, long-context tiers, batch): `before`/`after` above are at the
   * worst price (`dimension` names it, what the policy checks), `cheapest` at
   * the cheapest. Absent for a single-price model, whose dimension is its base price.
   */
  prices?: {
    before: { dimension: string; cheapest: { dimension: string; figures: MarginFigures } } | null;
    after: { dimension: string; cheapest: { dimension: string; figures: MarginFigures } } | null;
  };
}

export interface PlanImpact {
  margins: MarginRow[];
  /** Replay of the recent usage log under the old and new prices (when the log has rows). */
  revenue?: RevenueImpact;
  /** Accounts a default or price change reaches, and overrides it breaks. */
  blast_radius?: BlastRadius;
}

/** The plan: data first, rendered afterwards. Its JSON form is versioned and stable. */
export interface Plan {
  format_version: 1;
  config_digest: string;
  state_digest: string;
  /**
   * Digest of the change set alone (plan/digest.ts changesDigest): equal for
   * two plans that would make the same changes, whatever else moved. What a
   * reviewer approves and `apply --expect-changes` checks. Absent in plans
   * saved by older versions.
   */
  changes_digest?: string;
  summary: Record<Action, number>;
  changes: Change[];
  impact: PlanImpact;
  diagnostics: Diagnostic[];
}

export function planErrors(plan: Pick<Plan, "diagnostics">): Diagnostic[] {
  return plan.diagnostics.filter((d) => d.severity === "error");
}

/** A plan with errors (policy, missing accounts) is never applied, by any caller. */
export function assertPlanHasNoErrors(plan: Pick<Plan, "diagnostics">): void {
  const errors = planErrors(plan);
  if (errors.length) throw new UserError("plan.has-errors", "the plan has errors; nothing was changed", { diagnostics: errors });
}

/** "Is there anything to do" is one predicate on the plan, not repeated in the UI. */
export function hasChanges(plan: Pick<Plan, "summary">): boolean {
  const s = plan.summary;
  return s.create + s.update + s.delete + s.drift > 0;
}
