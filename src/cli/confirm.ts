import { UserError } from "../domain/diagnostic.js";

/** Interactive approval, as Terraform asks it: only "yes" applies (apply, restore). */
export async function confirm(question = "Apply these changes?"): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UserError("apply.unapproved", "refusing to apply without approval: stdin is not a terminal; nothing was changed", {
      suggestions: ["Pass --auto-approve, or apply a reviewed plan: cfgsync plan --out plan.json && cfgsync apply plan.json"],
    });
  }
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`\n${question} Only 'yes' will be accepted: `);
  rl.close();
  if (answer.trim() !== "yes") throw new UserError("apply.cancelled", "apply cancelled; nothing was changed");
}
