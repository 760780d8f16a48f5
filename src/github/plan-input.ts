import { readFile } from "node:fs/promises";
import { UserError } from "../domain/diagnostic.js";
import { KIND_ORDER, type ResourceKind } from "../domain/resources.js";
import { ACTIONS, type Change, type Plan } from "../plan/types.js";

/**
 * Reads the JSON a `cfgsync plan --out` saved (SPEC §5) back into a Plan.
 * Checks the shape the renderer relies on, so a wrong file is a clear error
 * rather than a crash half-way through a comment.
 */
export function parsePlanJson(text: string, source: string): Plan {
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
    new UserError("plan.invalid", `${source} is not a cfgsync plan: ${why}.`, {
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
    return { ...c, kind: KIND_ORDER.includes(c.kind) ? c.kind : kindOfAddress(c.address) } satisfies Change;
  });
  return {
    format_version: 1,
    config_digest: String(plan.config_digest ?? ""),
    state_digest: String(plan.state_digest ?? ""),
    summary: plan.summary as Plan["summary"],
    changes,
    impact: { ...plan.impact, margins: Array.isArray(plan.impact?.margins) ? plan.impact.margins : [] },
    diagnostics: Array.isArray(plan.diagnostics) ? plan.diagnostics : [],
  };
}

/** The JSON form need not repeat the kind: the address says it (SPEC §5 address shapes). */
function kindOfAddress(address: string): ResourceKind {
  if (address.startsWith("model/")) return "model";
  if (address.startsWith("credit/")) return "credit";
  if (address.startsWith("integration/")) return "integration";
  if (address.startsWith("settings-schema/")) return "settings-schema";
  if (/^account\/[^/]+\/setting\//.test(address)) return "account-setting";
  if (/^account\/[^/]+\/integration\//.test(address)) return "account-integration";
  throw new UserError("plan.invalid", `unknown resource address "${address}" in the plan.`);
}

/** The plan from `--plan FILE`, else piped on stdin; a terminal on stdin means the flag was forgotten. */
export async function readPlanInput(file: string | undefined, stdin: NodeJS.ReadStream): Promise<Plan> {
  if (file) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
      throw new UserError("plan.unreadable", `Cannot read the plan ${file}: ${why}.`, {
        suggestions: ["Save a plan with `cfgsync plan --out plan.json`, then pass --plan plan.json."],
      });
    }
    return parsePlanJson(text, file);
  }
  const missing = new UserError("plan.missing", "No plan given: pass --plan FILE (saved by `cfgsync plan --out FILE`) or pipe the plan JSON on stdin.");
  if (stdin.isTTY) throw missing;
  stdin.setEncoding("utf8");
  let text = "";
  for await (const chunk of stdin) text += chunk as string;
  if (text.trim() === "") throw missing;
  return parsePlanJson(text, "the plan on stdin");
}
