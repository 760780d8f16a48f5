import { inert } from "../domain/inert.js";
import type { Change } from "../plan/types.js";
import type { RevisionRecord } from "../domain/revision.js";
import { makeStyle } from "./style.js";
import { displaySensitive, displayValue, isSensitive } from "./value.js";

export function renderDriftText(drift: readonly Change[], color = false): string {
  const style = makeStyle(color);
  if (!drift.length) return "No drift: the database matches what cfgsync last applied.\n";
  const lines = [style.bold("Changed outside Git since the last apply:")];
  for (const c of drift) {
    lines.push(`  ${style.magenta("! " + inert(c.address))}`);
    for (const f of c.fields) {
      if (isSensitive(f)) lines.push(`      ~ ${inert(f.name)}: ${displaySensitive(f)}`);
      else if (f.after === undefined) lines.push(`      - ${inert(f.name)}: ${displayValue(f.before)} -> (row deleted)`);
      else lines.push(`      ~ ${inert(f.name)}: applied ${displayValue(f.before)}, now ${displayValue(f.after)}`);
    }
  }
  lines.push("", `${drift.length} resource(s) drifted. \`cfgsync apply\` restores them.`);
  return lines.join("\n") + "\n";
}

export function renderHistoryText(revisions: readonly RevisionRecord[]): string {
  if (!revisions.length) return "No applies recorded yet.\n";
  return (
    revisions
      .map((r) => {
        const s = r.summary as Record<string, number> | null;
        const counts = s ? `+${s.create ?? 0} ~${s.update ?? 0} -${s.delete ?? 0} !${s.drift ?? 0}` : "";
        const restored = r.restored_from ? `  restore of #${r.restored_from}` : "";
        return `#${r.id}  ${r.created_at}  ${inert(r.actor).padEnd(16)}  ${inert(r.git_commit ?? "-").slice(0, 12).padEnd(12)}  ${counts}  ${r.plan_digest.slice(0, 19)}${restored}`;
      })
      .join("\n") + "\n"
  );
}
