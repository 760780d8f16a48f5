import { UserError, type Diagnostic } from "../domain/diagnostic.js";
import type { Action, Change } from "./change.js";
import type { PlanImpact } from "./impact/types.js";
import type { ScheduledSection } from "./impact/types.js";

export type { MarginFigures } from "../domain/margin.js";
export { ACTIONS, type Action, type Change, type FieldChange } from "./change.js";
export type { MarginRow, PlanImpact } from "./impact/types.js";
export type { ScheduledSection, ScheduledStep } from "./impact/types.js";

/** The plan: data first, rendered afterwards. Its JSON form is versioned and stable. */
export interface Plan {
  format_version: 1;
  /** The environment planned (`--env`): config/ with config/environments/<name>.yaml overlaid. Absent for the base configuration. */
  environment?: string;
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
  /**
   * A restore's plan (`cfgsync restore --revision N`): the revision whose
   * desired state it returns to. Its config_digest is that state's; `apply
   * FILE` of a saved restore plan plans the restore again to check it.
   */
  restore_of?: RestoreOf;
  changes: Change[];
  impact: PlanImpact;
  diagnostics: Diagnostic[];
  /** Scheduled entries not yet due at the plan's instant (absent when none). */
  scheduled?: ScheduledSection;
  /** Set when the plan was made as of another instant than now (`plan --at`): such a plan is never applied. */
  at?: string;
}

export interface RestoreOf {
  revision: number;
  /** The commit revision N applied, if it recorded one. */
  git_commit: string | null;
  created_at: string;
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
