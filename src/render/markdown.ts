import { inertMarkdown as escapeInline } from "../domain/inert.js";
import { renderImpactMarkdown } from "./impact.js";
import { scheduledMarkdown } from "./schedule.js";
import { LOSS, MARGIN_BASIS_NOTE, marginCells, priceRangeLine } from "./figures.js";
import { formatLocation, sortDiagnostics, type Diagnostic } from "../domain/diagnostic.js";
import { KINDS, type JsonValue } from "../domain/resources.js";
import { changesByKind, countsByAction, listedChanges, movedMargins } from "./value.js";
import { ACTIONS, hasChanges, type Action, type Change, type FieldChange, type MarginRow, type Plan } from "../plan/types.js";

/** GitHub rejects a comment (and a check run summary) longer than this. The one place it is written. */
export const GITHUB_COMMENT_MAX_CHARS = 65_535;

export interface MarkdownOptions {
  /** Shown in the heading, e.g. "production". */
  environment?: string;
  /** Budget for the whole body; default GITHUB_COMMENT_MAX_CHARS. */
  maxChars?: number;
  /** Where the full plan lives when this rendering had to leave details out (Markdown allowed). */
  artifactHint?: string;
  /** The plan was made against a database holding none of the configured rows: the title says so. */
  emptyDatabase?: boolean;
  /** Every change of every kind; otherwise a kind with more than LISTED_CHANGES changes shows counts and the first ones. */
  full?: boolean;
}

/** A single value longer than this is clipped in its cell (the full value is in the plan artifact). */
const MAX_VALUE_CHARS = 1_000;
/** In a shortened comment, at most this many diagnostics are listed one by one. */
const MAX_DIAGNOSTICS_WHEN_SHORT = 50;

/**
 * Renders a plan as a pull-request comment. Tries renderings from the most to
 * the least detailed and returns the first that fits the budget, so a long
 * plan loses whole sections, never half a table.
 */
export function renderPlanMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? GITHUB_COMMENT_MAX_CHARS;
  const renderings: Array<() => string> = [
    () => compose(plan, opts, "fields"),
    () => compose(plan, opts, "addresses"),
    () => compose(plan, opts, "counts"),
    () => compose(plan, opts, "minimal"),
  ];
  for (const render of renderings) {
    const body = render();
    if (body.length <= maxChars) return body;
  }
  throw new RangeError(`even the shortest plan comment is longer than ${maxChars} characters`);
}

/** How much of the change list a rendering shows. */
type Detail = "fields" | "addresses" | "counts" | "minimal";

function compose(plan: Plan, opts: MarkdownOptions, detail: Detail): string {
  const shortened = detail !== "fields";
  const sections = [heading(plan, opts.environment, opts.emptyDatabase === true), summaryTable(plan)];
  if (shortened) sections.push(shortenedNotice(opts.artifactHint));
  if (plan.changes.length > 0) {
    sections.push(detail === "fields" || detail === "addresses" ? changesSection(plan.changes, detail, opts) : kindCountsTable(plan.changes));
  }
  const margins = movedMargins(plan.impact.margins);
  if (detail !== "minimal" && margins.shown.length > 0) sections.push(marginSection(margins));
  if (detail === "fields" || detail === "addresses") {
    const pricing = renderImpactMarkdown(plan.impact);
    if (pricing.trim()) sections.push(pricing.trim());
  }
  if (detail !== "minimal" && plan.scheduled) sections.push(scheduledMarkdown(plan.scheduled));
  if (plan.diagnostics.length > 0) {
    sections.push(
      detail === "minimal"
        ? diagnosticCounts(plan.diagnostics)
        : diagnosticSection(plan.diagnostics, shortened ? MAX_DIAGNOSTICS_WHEN_SHORT : Infinity),
    );
  }
  sections.push(footer(plan));
  return sections.join("\n\n") + "\n";
}

function heading(plan: Plan, environment: string | undefined, emptyDatabase: boolean): string {
  const title =
    (environment ? `## cfgsync plan for <code>${escapeInline(environment)}</code>` : "## cfgsync plan") +
    (emptyDatabase ? ", against an empty database" : "");
  const verdict = hasChanges(plan)
    ? `**${ACTIONS.filter((a) => a !== "unmanaged" && plan.summary[a] > 0)
        .map((a) => `${plan.summary[a]} to ${a === "drift" ? "restore (drift)" : a}`)
        .join(", ")}**`
    : "**No changes.** The database matches the configuration in Git.";
  const note = emptyDatabase
    ? "\n\n> [!NOTE]\n> The database planned against held none of the configured rows (no target database was given, or this is a first apply): every row shows as created. The apply after the merge re-plans against its own database and applies only if the changes are these."
    : "";
  return `${title}\n\n${verdict}${note}`;
}

function summaryTable(plan: Plan): string {
  return table(
    ACTIONS.map((a) => a),
    [ACTIONS.map((a) => String(plan.summary[a] ?? 0))],
    ACTIONS.map(() => "right"),
  );
}

/** Where the full plan is when no artifact is named. */
const SAVED_PLAN = "the plan JSON saved by `cfgsync plan --out`";

function shortenedNotice(artifactHint: string | undefined): string {
  const where = artifactHint ?? SAVED_PLAN;
  return `> [!NOTE]\n> This plan is too large for one comment: the field-level changes are left out. The full plan: ${where}.`;
}

function changesSection(changes: Change[], detail: "fields" | "addresses", opts: MarkdownOptions): string {
  const full = opts.full ?? false;
  const where = opts.artifactHint ?? SAVED_PLAN;
  const parts = ["### Changes"];
  for (const [kind, ofKind] of changesByKind(changes)) {
    const shown = listedChanges(ofKind, full);
    const body =
      detail === "fields"
        ? shown.map(changeBlock).join("\n\n")
        : shown.map((c) => `- ${actionLabel(c.action)} <code>${escapeInline(c.address)}</code>${sourceSuffix(c)}`).join("\n");
    const more = ofKind.length - shown.length;
    const tail = more > 0 ? `\n\n… and ${more} more; every change is in the full plan: ${where}` : "";
    parts.push(
      `<details><summary><b>${escapeInline(KINDS[kind].label)}</b>: ${countsByAction(ofKind)}</summary>\n\n${body}${tail}\n\n</details>`,
    );
  }
  return parts.join("\n\n");
}

function kindCountsTable(changes: Change[]): string {
  const rows = [...changesByKind(changes)].map(([kind, ofKind]) => [
    escapeInline(KINDS[kind].label),
    ...ACTIONS.map((a) => String(ofKind.filter((c) => c.action === a).length)),
  ]);
  return "### Changes by kind\n\n" + table(["kind", ...ACTIONS], rows, ["left", ...ACTIONS.map(() => "right" as const)]);
}

function changeBlock(change: Change): string {
  const title = `**${actionLabel(change.action)}** <code>${escapeInline(change.address)}</code>${sourceSuffix(change)}`;
  if (change.fields.length === 0) return title;
  const rows = change.fields.map((f) => [fieldName(f), ...beforeAfter(f)]);
  return `${title}\n\n${table(["name", "before", "after"], rows)}`;
}

function fieldName(f: FieldChange): string {
  const origin = f.origin ? `<br><sub>from <code>${escapeInline(`${f.origin.file}:${f.origin.line}`)}</code></sub>` : "";
  return `<code>${escapeInline(f.name)}</code>${f.drifted ? " (drifted)" : ""}${origin}`;
}

function beforeAfter(f: FieldChange): [string, string] {
  // Sensitive fields carry no value in the plan: only whether the digest changed.
  if (f.sensitive) return ["(sensitive)", f.changed ? "(sensitive) changed" : "(sensitive) unchanged"];
  return [formatValue(f.before), formatValue(f.after)];
}

function formatValue(v: JsonValue | undefined): string {
  if (v === undefined) return "<i>(none)</i>";
  const text = typeof v === "string" && v !== "" ? v : JSON.stringify(v);
  const clipped = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length - MAX_VALUE_CHARS} more characters)` : text;
  return `<code>${escapeInline(clipped)}</code>`;
}

function marginSection({ shown, more }: { shown: MarginRow[]; more: number }): string {
  const tokens = shown.some((r) => r.unit === "tokens");
  const body = shown.map((r) => {
    const c = marginCells(r, "→");
    const range = priceRangeLine(r);
    return [
      `<code>${escapeInline(r.operation_type)}</code>`,
      `<code>${escapeInline(r.model_id)}</code>` + (range ? `<br><sub>${escapeInline(range)}</sub>` : ""),
      r.unit === "image" ? "image" : "1M output tokens",
      escapeInline(c.cost),
      escapeInline(c.charge),
      escapeInline(c.margin),
      escapeInline(c.margin_pct),
      escapeInline(c.markup_pct),
      ...(tokens ? [escapeInline(c.minimum || "-")] : []),
    ];
  });
  return (
    `### Margin impact\n\nProvider cost against customer charge, before → after: ${MARGIN_BASIS_NOTE}. Token operations are priced against the model's output rate; a loss is marked ${LOSS}.\n\n` +
    table(["operation", "model", "per", "cost", "charge", "margin", "margin %", "markup %", ...(tokens ? ["minimum per call"] : [])], body, [
      "left",
      "left",
      "left",
      "right",
      "right",
      "right",
      "right",
      "right",
      ...(tokens ? (["right"] as const) : []),
    ]) +
    (more > 0 ? `\n\n… and ${more} more operation × model margins that move (the full plan lists all)` : "")
  );
}

function diagnosticSection(diagnostics: Diagnostic[], limit: number): string {
  const sorted = sortDiagnostics(diagnostics);
  const lines = sorted.slice(0, limit).map((d) => {
    const where = formatLocation(d);
    return `- ${d.severity === "error" ? "❌ **error**" : "⚠️ **warning**"}${where ? ` <code>${escapeInline(where)}</code>` : ""}: ${escapeInline(d.message)}`;
  });
  if (sorted.length > limit) lines.push(`- … and ${sorted.length - limit} more in the full plan`);
  return `### Diagnostics\n\n${lines.join("\n")}`;
}

function diagnosticCounts(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return `### Diagnostics\n\n${errors} error(s), ${diagnostics.length - errors} warning(s): see the full plan.`;
}

function footer(plan: Plan): string {
  return `<sub>config ${escapeInline(shortDigest(plan.config_digest))} · database state ${escapeInline(shortDigest(plan.state_digest))} · plan format ${plan.format_version}</sub>`;
}

const shortDigest = (digest: string): string => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, "$1…");

const ACTION_LABELS: Record<Action, string> = {
  create: "create",
  update: "update",
  delete: "delete",
  drift: "restore drift",
  unmanaged: "unmanaged (left alone)",
};
const actionLabel = (a: Action): string => ACTION_LABELS[a];

const sourceSuffix = (c: Change): string =>
  c.source ? ` (<code>${escapeInline(`${c.source.file}:${c.source.line}`)}</code>)` : "";

type Align = "left" | "right";

/** A whole GFM table: header, separator, rows. Cells are already escaped. */
function table(header: string[], rows: string[][], align: Align[] = header.map(() => "left")): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const separator = line(align.map((a) => (a === "right" ? "---:" : "---")));
  return [line(header), separator, ...rows.map(line)].join("\n");
}

/** Makes text safe inside a table cell or a line of Markdown (see domain/inert.ts). */
export { inertMarkdown as escapeInline } from "../domain/inert.js";
