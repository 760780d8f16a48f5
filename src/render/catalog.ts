import type { CompareReport, ImportReport } from "../domain/price-reference.js";

/*
 * `catalog import` and `catalog compare` reports as text and Markdown (their
 * JSON form is the report itself). Pure.
 */

const LISTED = 10;
const more = (list: readonly string[]) => list.slice(0, LISTED).join(", ") + (list.length > LISTED ? `, and ${list.length - LISTED} more` : "");
const shown = (v: unknown) => (v === null || v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v));

export function renderImportText(r: ImportReport, opts: { dryRun?: boolean } = {}): string {
  const out: string[] = [];
  const verb = opts.dryRun ? "would be " : "";
  for (const a of r.added) out.push(`+ ${a.model_id}  (${a.file}, inactive)`);
  for (const u of r.updated) {
    out.push(`~ ${u.model_id}  (${u.file})`);
    for (const f of u.fields) out.push(`    ${f.field}: ${shown(f.before)} -> ${shown(f.after)}`);
  }
  if (r.rounded.length) {
    out.push("", `Rounded to the column's 10 decimal places (float noise in the source):`);
    for (const x of r.rounded) out.push(`  ${x.model_id} ${x.field}: ${x.source} -> ${x.stored}`);
  }
  if (r.skipped.length) {
    out.push("", "Skipped:");
    for (const s of r.skipped) out.push(`  ${s.count} ${s.reason}: ${more(s.keys)}`);
  }
  if (r.fields_without_place.length) {
    out.push("", `Fields with no place in the catalog (not imported): ${r.fields_without_place.map((f) => `${f.field} (${f.entries})`).join(", ")}`);
  }
  const skipped = r.skipped.reduce((n, s) => n + s.count, 0);
  out.push(
    "",
    `${r.added.length} ${verb}added, ${r.updated.length} ${verb}updated, ${r.unchanged} unchanged, ${skipped} skipped` +
      (r.not_selected ? `, ${r.not_selected} of other providers` : "") +
      ".",
  );
  return out.join("\n").replace(/^\n/, "") + "\n";
}

export function renderCompareText(r: CompareReport): string {
  const out: string[] = [];
  for (const d of r.differences) {
    const ratio = d.ratio === null ? "" : `  (x${d.ratio})`;
    out.push(`${d.model_id} ${d.field}: ours ${d.ours ?? "(none)"}, reference ${d.theirs}${ratio}${d.unit_mistake ? `  UNIT MISTAKE: ${d.unit_mistake}` : ""}`);
  }
  for (const d of r.deprecated) {
    if (d.our_date === d.reference_date) continue;
    out.push(`${d.model_id}: the reference deprecates it on ${d.reference_date}; ours says ${d.our_date ?? "(no deprecation_date)"}`);
  }
  if (r.not_in_reference.length) out.push(`Not in the reference (${r.not_in_reference.length}): ${more(r.not_in_reference)}`);
  const mistakes = r.differences.filter((d) => d.unit_mistake).length;
  out.push(
    `${r.compared} models compared with ${r.reference.models} reference models: ${r.differences.length} price differences` +
      (mistakes ? ` (${mistakes} unit mistakes)` : "") +
      `, ${r.deprecated.filter((d) => d.our_date !== d.reference_date).length} deprecations to record.`,
  );
  return out.join("\n") + "\n";
}

const cell = (v: string) => v.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");

export function renderCompareMarkdown(r: CompareReport): string {
  const out: string[] = ["### Catalog compared with the reference price list", ""];
  out.push(`${r.compared} configured models found in the reference (${r.reference.models} models from ${r.reference.entries} entries).`, "");
  if (r.differences.length) {
    out.push("| model | field | ours | reference | ratio | |", "| --- | --- | ---: | ---: | ---: | --- |");
    for (const d of r.differences) {
      out.push(
        `| \`${cell(d.model_id)}\` | \`${cell(d.field)}\` | ${d.ours ?? "—"} | ${d.theirs} | ${d.ratio ?? "—"} | ${d.unit_mistake ? `⚠️ unit mistake: ${cell(d.unit_mistake)}` : ""} |`,
      );
    }
    out.push("");
  } else {
    out.push("No price differences.", "");
  }
  const deprecated = r.deprecated.filter((d) => d.our_date !== d.reference_date);
  if (deprecated.length) {
    out.push("**Deprecated by the reference:**", "");
    for (const d of deprecated) out.push(`- \`${cell(d.model_id)}\` on ${d.reference_date} (ours: ${d.our_date ?? "none"})`);
    out.push("");
  }
  if (r.not_in_reference.length) {
    out.push(`<details><summary>${r.not_in_reference.length} configured models not in the reference</summary>`, "", r.not_in_reference.map((m) => `\`${cell(m)}\``).join(", "), "", "</details>", "");
  }
  return out.join("\n");
}
