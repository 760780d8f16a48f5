import { UserError } from "../domain/diagnostic.js";
import { parsePlanJson, readPlanFile } from "../plan/plan-file.js";
import type { Plan } from "../plan/types.js";

/** The plan from `--plan FILE`, else piped on stdin; a terminal on stdin means the flag was forgotten. */
export async function readPlanInput(file: string | undefined, stdin: NodeJS.ReadStream): Promise<Plan> {
  if (file) return readPlanFile(file);
  const missing = new UserError("plan.missing", "No plan given: pass --plan FILE (saved by `cfgsync plan --out FILE`) or pipe the plan JSON on stdin.");
  if (stdin.isTTY) throw missing;
  stdin.setEncoding("utf8");
  let text = "";
  for await (const chunk of stdin) text += chunk as string;
  if (text.trim() === "") throw missing;
  return parsePlanJson(text, "the plan on stdin");
}
