import { formatDiagnosticLine, type Diagnostic } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { KINDS } from "../domain/resources.js";
import { planContentDigest } from "../plan/digest.js";
import { hasChanges, type Action, type Change, type Plan } from "../plan/types.js";
import { renderImpactText } from "./impact.js";
import { restoreHeaderLine } from "./restore.js";
import { scheduledTextLines } from "./schedule.js";
import { makeStyle, paintSeverity, type Style } from "./style.js";
import { MARGIN_BASIS_NOTE, endsAtLoss, marginLineText, priceRangeLine } from "./figures.js";
import { changesByKind, countsByAction, displaySensitive, displayValue, isSensitive, listedChanges, movedMargins } from "./value.js";

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
    const drift = (f.drifted ? style.magenta("  (drifted)") : "") + (f.origin ? style.dim(`  (${inert(f.origin.file)}:${f.origin.line})`) : "");
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

export interface TextOptions {
  color?: boolean;
  /** Every change of every kind; otherwise a kind with more than LISTED_CHANGES changes is summarised. */
  full?: boolean;
}

/** Terraform-like text: changes grouped by kind, margins when prices move, a summary line. */
export function renderPlanText(plan: Plan, opts: TextOptions = {}): string {
  let text = "";
  for (const line of planTextLines(plan, opts)) text += line + "\n";
  return text;
}

/**
 * The text of a plan, line by line: a caller writes a 100k-line plan as a
 * stream instead of building it (or spreading it into a call) first.
 */
export function* planTextLines(plan: Plan, opts: TextOptions = {}): Generator<string> {
  const style = makeStyle(opts.color ?? false);
  if (plan.restore_of) yield* [style.bold(restoreHeaderLine(plan.restore_of)), ""];
  if (plan.environment) yield style.bold(`Environment ${inert(plan.environment)}`) + style.dim("  (config/ with its environment file overlaid; overridden values name their line)") + "\n";
  for (const [kind, changes] of changesByKind(plan.changes)) {
    yield style.bold(KINDS[kind].label);
    const shown = listedChanges(changes, opts.full ?? false);
    if (shown.length < changes.length) yield style.dim(`  ${countsByAction(changes)}; the first ${shown.length} (cfgsync plan --full for all):`);
    for (const change of shown) yield* renderChange(change, style);
    if (shown.length < changes.length) yield style.dim(`  ... and ${changes.length - shown.length} more ${KINDS[kind].label.toLowerCase()} changes`);
    yield "";
  }
  const margins = movedMargins(plan.impact.margins);
  if (margins.shown.length) {
    yield style.bold("Margin impact") + style.dim(`  (${MARGIN_BASIS_NOTE})`);
    for (const row of margins.shown) {
      const line = inert(marginLineText(row));
      yield endsAtLoss(row) ? style.red(line) : line;
      const range = priceRangeLine(row);
      if (range) yield style.dim(`      ${inert(range)}`);
    }
    if (margins.more) yield style.dim(`  ... and ${margins.more} more operation x model margins that move (the JSON plan lists all)`);
    yield "";
  }
  const pricing = renderImpactText(plan.impact);
  while (pricing.at(-1) === "") pricing.pop();
  if (pricing.length) yield* [...pricing, ""];
  yield* scheduledTextLines(plan.scheduled);
  if (plan.diagnostics.length) yield* [...renderDiagnosticsText(plan.diagnostics, style), ""];
  yield style.bold(summaryLine(plan));
  if (plan.at) yield style.dim(`Planned as of ${inert(plan.at)} (--at): shown only; apply applies what is due now.`);
}

/** The stable JSON form (SPEC §5). */
export function renderPlanJson(plan: Plan): string {
  let text = "";
  for (const chunk of planJsonChunks(plan)) text += chunk;
  return text;
}

/**
 * The stable JSON form in pieces, exactly the text of JSON.stringify(plan, null, 2)
 * followed by a newline: one piece per element of the plan's top-level arrays
 * (changes, diagnostics), so a 50k-change plan is streamed, not built whole.
 */
export function* planJsonChunks(plan: Plan): Generator<string> {
  // The saved plan carries the digest of its own content (apply refuses an edited file).
  const entries = Object.entries({ ...plan, content_digest: planContentDigest(plan) }).filter(([, v]) => v !== undefined);
  yield "{\n";
  for (const [i, [key, value]] of entries.entries()) {
    const end = i < entries.length - 1 ? ",\n" : "\n";
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (const [j, item] of value.entries()) yield `    ${indented(JSON.stringify(item ?? null, null, 2), "    ")}${j < value.length - 1 ? ",\n" : "\n"}`;
      yield `  ]${end}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, null, 2), "  ")}${end}`;
    }
  }
  yield "}\n";
}

/** JSON text nested one level deeper (its strings hold no raw newlines: JSON escapes them). */
const indented = (json: string, pad: string) => json.replace(/\n/g, "\n" + pad);
