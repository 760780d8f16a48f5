import { UserError } from "../domain/diagnostic.js";
import { hasChanges, type Plan } from "./types.js";

/** What `--expect-changes` says when nothing was reviewed: only a plan without changes may apply. */
export const NOTHING_REVIEWED = "none";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A digest as `cfgsync plan` prints it, or `none`; anything else is a usage mistake. */
export function parseExpectedChanges(value: string): string {
  const v = value.trim();
  if (v === NOTHING_REVIEWED || DIGEST.test(v)) return v;
  throw new UserError("apply.expect-changes-invalid", `--expect-changes must be a change-set digest (sha256:<64 hex digits>) or "${NOTHING_REVIEWED}", got "${value}"`, {
    suggestions: ["Take it from the reviewed plan: `jq -r .changes_digest plan.json`, or `cfgsync github reviewed-plan` in CI."],
  });
}

/**
 * Reviewed plan or nothing: the fresh plan applies only when its change set
 * is the one reviewed (same digest), whatever else moved in the database or
 * the repository. With nothing reviewed, only a plan without changes passes.
 */
export function assertChangesReviewed(plan: Pick<Plan, "changes_digest" | "summary">, expected: string): void {
  if (expected === NOTHING_REVIEWED) {
    if (!hasChanges(plan)) return;
    throw new UserError("apply.unreviewed", `nothing was reviewed, and the plan has changes (${plan.changes_digest}); nothing was changed`, {
      suggestions: ["Review this plan, then apply it with --expect-changes set to its digest (in CI: re-run the job after reviewing the plan it posted)."],
    });
  }
  if (plan.changes_digest === expected) return;
  throw new UserError("apply.unreviewed", `the plan's changes (${plan.changes_digest}) differ from the reviewed ones (${expected}): the database or the configuration changed since the review; nothing was changed`, {
    suggestions: ["Review the new plan, then apply it with --expect-changes set to its digest (in CI: re-run the job after reviewing the plan it posted)."],
  });
}
