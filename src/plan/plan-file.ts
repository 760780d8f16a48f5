import { readFile } from "node:fs/promises";
import { UserError } from "../domain/diagnostic.js";
import { KIND_ORDER, kindOfAddress } from "../domain/resources.js";
import { ACTIONS, type Change, type Plan, type RestoreOf } from "./types.js";

/**
 * Reads the JSON a `cfgsync plan --out` saved (SPEC §5) back into a Plan.
 * Checks the shape the renderer relies on, so a wrong file is a clear error
 * rather than a crash half-way through a comment.
 */
export function parsePlanJson(text: string, source: string): SavedPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError("plan.not-json", `${source} is not JSON: ${(err as Error).message}`, {
      suggestions: ["Save a plan with `cfgsync plan --out plan.json`."],
    });
  }
  const plan = raw as Partial<Plan> | null;
  const invalid = (why: string) =>
    new UserError("plan.not-a-plan", `${source} is not a cfgsync plan: ${why}.`, {
      suggestions: ["Save a plan with `cfgsync plan --out plan.json`."],
    });
  if (typeof plan !== "object" || plan === null || Array.isArray(plan)) throw invalid("expected a JSON object");
  if (plan.format_version !== 1) throw invalid(`format_version is ${JSON.stringify(plan.format_version)}, this cfgsync reads 1`);
  if (!Array.isArray(plan.changes)) throw invalid('"changes" is missing');
  const summary = plan.summary as Record<string, unknown> | undefined;
  if (typeof summary !== "object" || summary === null || !ACTIONS.every((a) => typeof summary[a] === "number")) {
    throw invalid(`"summary" must count ${ACTIONS.join(", ")}`);
  }
  const changes = plan.changes.map((c, i) => {
    if (typeof c?.address !== "string" || !ACTIONS.includes(c.action) || !Array.isArray(c.fields)) {
      throw invalid(`changes[${i}] needs an address, an action and fields`);
    }
    const kind = KIND_ORDER.includes(c.kind) ? c.kind : kindOfAddress(c.address);
    if (!kind) throw invalid(`unknown resource address "${c.address}" in changes[${i}]`);
    return { ...c, kind } satisfies Change;
  });
  const parsed: Plan = {
    format_version: 1,
    ...(typeof plan.environment === "string" ? { environment: plan.environment } : {}),
    config_digest: String(plan.config_digest ?? ""),
    state_digest: String(plan.state_digest ?? ""),
    ...(typeof plan.changes_digest === "string" ? { changes_digest: plan.changes_digest } : {}),
    summary: plan.summary as Plan["summary"],
    ...(restoreOf(plan.restore_of) ? { restore_of: plan.restore_of! } : {}),
    changes,
    impact: { ...plan.impact, margins: Array.isArray(plan.impact?.margins) ? plan.impact.margins : [] },
    diagnostics: Array.isArray(plan.diagnostics) ? plan.diagnostics : [],
    ...(plan.scheduled && typeof plan.scheduled === "object" && Array.isArray(plan.scheduled.steps) ? { scheduled: plan.scheduled } : {}),
    ...(typeof plan.at === "string" ? { at: plan.at } : {}),
  };
  const recorded = (raw as { content_digest?: unknown }).content_digest;
  return typeof recorded === "string" ? Object.assign(parsed, { content_digest: recorded }) : parsed;
}

/** A plan read from a file, with the digest it recorded over its own content (absent in files from older versions). */
export type SavedPlan = Plan & { content_digest?: string };

/** A plan file saved by `cfgsync plan --out`, read and checked (apply, github comment). */
export async function readPlanFile(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new UserError("plan.unreadable", `Cannot read the plan ${file}: ${why}.`, {
      suggestions: ["Save a plan with `cfgsync plan --out plan.json`."],
    });
  }
  return parsePlanJson(text, file);
}

function restoreOf(value: unknown): boolean {
  const r = value as Partial<RestoreOf> | null | undefined;
  return typeof r === "object" && r !== null && Number.isInteger(r.revision) && (r.git_commit === null || typeof r.git_commit === "string") && typeof r.created_at === "string";
}
