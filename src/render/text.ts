import { formatDiagnosticLine, type Diagnostic } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { KIND_ORDER, KINDS } from "../domain/resources.js";
import { planContentDigest } from "../plan/digest.js";
import { hasChanges, type Action, type Change, type Plan } from "../plan/types.js";
import { renderImpactText } from "./impact.js";
import { makeStyle, paintSeverity, type Style } from "./style.js";
import { MARGIN_BASIS_NOTE, endsAtLoss, marginLineText, priceRangeLine } from "./figures.js";
import { displaySensitive, displayValue, isSensitive, marginChanged } from "./value.js";

const SYMBOL: Record<Action, string> = { create: "+", update: "~", delete: "-", drift: "!", unmanaged: "?" };
const NOTE: Partial<Record<Action, string>> = {
  drift: "changed outside Git since the last apply; apply restores it",
  unmanaged: "in the database, not in config/: left alone",
};

function paint(style: Style, action: Action, s: string): string {
  switch (action) {
    case "create":
      return style.green(s);
    case "update":
      return style.yellow(s);
    case "delete":
      return style.red(s);
    case "drift":
      return style.magenta(s);
    default:
      return style.dim(s);
  }
}

function renderChange(change: Change, style: Style): string[] {
  const where = change.source ? style.dim(`  (${inert(change.source.file)}:${change.source.line})`) : "";
  const note = NOTE[change.action] ? style.dim(`  # ${NOTE[change.action]}`) : "";
  const lines = [`  ${paint(style, change.action, `${SYMBOL[change.action]} ${inert(change.address)}`)}${where}${note}`];
  for (const f of change.fields) {
    const drift = f.drifted ? style.magenta("  (drifted)") : "";
    if (isSensitive(f)) {
      lines.push(`      ${f.changed ? "~" : " "} ${inert(f.name)}: ${displaySensitive(f)}${drift}`);
    } else if (change.action === "create" || f.before === undefined) {
      lines.push(`      ${style.green("+")} ${inert(f.name)} = ${displayValue(f.after)}${drift}`);
    } else if (change.action === "delete" || f.after === undefined) {
      lines.push(`      ${style.red("-")} ${inert(f.name)} = ${displayValue(f.before)}${drift}`);
    } else {
      lines.push(`      ${style.yellow("~")} ${inert(f.name)}: ${displayValue(f.before)} -> ${displayValue(f.after)}${drift}`);
    }
  }
  return lines;
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style = makeStyle(false)): string[] {
  return diagnostics.map((d) => formatDiagnosticLine(d, paintSeverity(style)));
}

export function summaryLine(plan: Pick<Plan, "summary">): string {
  const s = plan.summary;
  if (!hasChanges(plan)) {
    return `No changes. The database matches the configuration.${s.unmanaged ? ` (${s.unmanaged} unmanaged)` : ""}`;
  }
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.drift} drifted, ${s.unmanaged} unmanaged.`;
}

/** What an apply did, in the past tense: "Applied: 37 created, 0 updated, 0 deleted, 0 drift restored (revision 4)." */
export function appliedLine(plan: Pick<Plan, "summary">, revision: number | null): string {
  if (revision === null) return "Nothing to do: the database already matches the configuration.";
  if (!hasChanges(plan)) return `No changes; revision ${revision} records that cfgsync now manages the matching rows.`;
  const s = plan.summary;
  return `Applied: ${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.drift} drift restored (revision ${revision}).`;
}

/** Terraform-like text: changes grouped by kind, margins when prices move, a summary line. */
export function renderPlanText(plan: Plan, opts: { color?: boolean } = {}): string {
  const style = makeStyle(opts.color ?? false);
  const out: string[] = [];
  for (const kind of KIND_ORDER) {
    const changes = plan.changes.filter((c) => c.kind === kind);
    if (!changes.length) continue;
    out.push(style.bold(KINDS[kind].label), ...changes.flatMap((c) => renderChange(c, style)), "");
  }
  const margins = plan.impact.margins.filter(marginChanged);
  if (margins.length) {
    out.push(style.bold("Margin impact") + style.dim(`  (${MARGIN_BASIS_NOTE})`));
    for (const row of margins) {
      const line = inert(marginLineText(row));
      out.push(endsAtLoss(row) ? style.red(line) : line);
      const range = priceRangeLine(row);
      if (range) out.push(style.dim(`      ${range}`));
    }
    out.push("");
  }
  const pricing = renderImpactText({ margins: [], revenue: plan.impact.revenue, blast_radius: plan.impact.blast_radius });
  while (pricing.at(-1) === "") pricing.pop();
  if (pricing.length) out.push(...pricing, "");
  if (plan.diagnostics.length) out.push(...renderDiagnosticsText(plan.diagnostics, style), "");
  out.push(style.bold(summaryLine(plan)));
  return out.join("\n") + "\n";
}

/** The stable JSON form (SPEC §5). */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify({ ...plan, content_digest: planContentDigest(plan) }, null, 2) + "\n";
}
