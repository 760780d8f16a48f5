/**
 * cfgsync as a library: the same pipeline the CLI runs, for tools that embed it.
 * The platform's runtime side (effective configuration, settings save flows)
 * is exported separately as `cfgsync/runtime`.
 */
export { loadConfig } from "./config/load.js";
export { buildPlan, type PlanInput } from "./plan/build.js";
export { diffResources, detectDrift } from "./plan/diff.js";
export { hasChanges, type Plan, type Change, type FieldChange, type Action } from "./plan/types.js";
export { renderPlanText, renderPlanJson } from "./render/text.js";
export { renderPlanMarkdown } from "./render/markdown.js";
export { computeMargins } from "./domain/margin.js";
export { openDatabase } from "./store/connect.js";
export type { Store, ApplyRequest, RevisionRecord } from "./store/types.js";
export type { Resource, ResourceKind, FieldValue } from "./domain/resources.js";
export type { DesiredState, LiveState, LoadedConfig } from "./domain/state.js";
export { UserError, type Diagnostic } from "./domain/diagnostic.js";
export { computePlan, applyComputedPlan } from "./app/flow.js";
