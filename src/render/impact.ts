import { inert, inertMarkdown } from "../domain/inert.js";
import type { MarginFigures, MarginRow } from "../plan/types.js";
import type { BlastRadius, AccountList } from "../plan/impact/blast-radius.js";
import type { RevenueFigures, RevenueImpact, RevenueLine } from "../plan/impact/revenue.js";

/*
 * The impact sections of a plan (margins, revenue replay, blast radius) as
 * text and Markdown. Pure: the plan's data in, lines out; no colour (the text
 * renderer may paint whole lines). Figures are printed as the plan stores them.
 */

export interface ImpactSections {
  margins: MarginRow[];
  revenue?: RevenueImpact | undefined;
  blast_radius?: BlastRadius | undefined;
}

const LISTED = 10;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const usd = (v: string | null | undefined) => (v === null || v === undefined ? "-" : v.startsWith("-") ? `-$${v.slice(1)}` : `$${v}`);
const pct = (v: string | null | undefined) => (v === null || v === undefined ? "n/a" : `${v} %`);
const signedUsd = (v: string) => (v.startsWith("-") ? `-$${v.slice(1)}` : `+$${v}`);
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const move = (a: string, b: string) => (a === b ? a : `${a} -> ${b}`);
const shown = (v: unknown) => (v === null || v === undefined ? "(none)" : JSON.stringify(v));

function names(list: AccountList): string {
  const listed = list.accounts.slice(0, LISTED);
  const more = list.count - listed.length;
  return listed.join(", ") + (more > 0 ? `, and ${more} more` : "");
}

function marginFigure(f: MarginFigures | null, key: keyof MarginFigures): string {
  if (!f) return "-";
  return key.endsWith("_pct") ? pct(f[key]) : usd(f[key]);
}

function revenueFigure(f: RevenueFigures | null, key: "revenue" | "cost" | "margin" | "margin_pct" | "credits"): string {
  if (!f) return "not billed";
  if (key === "credits") return String(f.credits);
  return key === "margin_pct" ? pct(f[key]) : usd(f[key]);
}

const lineLabel = (l: RevenueLine) => `${l.operation_type} x ${l.model_id ?? "(no model)"}`;
const unitsLabel = (l: RevenueLine) => (l.unit === "image" ? count(l.units, "image") : l.unit === "tokens" ? count(l.units, "token") : "");

/* ------------------------------------------------------------------ text */

/** Lines of text; every line is made inert (the values in it come from config and the database). */
export function renderImpactText(impact: ImpactSections): string[] {
  return impactTextLines(impact).map(inert);
}

function impactTextLines(impact: ImpactSections): string[] {
  const out: string[] = [];
  const margins = impact.margins.filter((m) => !same(m.before, m.after));
  if (margins.length) {
    out.push("Margin impact  (image: per image; tokens: per 1M output tokens)");
    for (const m of margins) {
      out.push(
        `  ${m.operation_type} x ${m.model_id}: cost ${move(marginFigure(m.before, "cost"), marginFigure(m.after, "cost"))}, ` +
          `charge ${move(marginFigure(m.before, "charge"), marginFigure(m.after, "charge"))}, ` +
          `margin ${move(marginFigure(m.before, "margin_pct"), marginFigure(m.after, "margin_pct"))}, ` +
          `markup ${move(marginFigure(m.before, "markup_pct"), marginFigure(m.after, "markup_pct"))}`,
      );
    }
    out.push("");
  }
  const r = impact.revenue;
  if (r && r.calls > 0) {
    out.push(`Revenue impact  (the last ${r.days} days of usage, ${count(r.calls, "call")} since ${r.since.slice(0, 10)}, replayed at live and new prices)`);
    for (const l of r.lines) {
      if (same(l.before, l.after)) continue;
      out.push(
        `  ${lineLabel(l)}: ${count(l.calls, "call")}, ${unitsLabel(l)}: ` +
          `revenue ${move(revenueFigure(l.before, "revenue"), revenueFigure(l.after, "revenue"))}, ` +
          `cost ${move(revenueFigure(l.before, "cost"), revenueFigure(l.after, "cost"))}, ` +
          `margin ${move(revenueFigure(l.before, "margin_pct"), revenueFigure(l.after, "margin_pct"))}`,
      );
    }
    const b = r.totals.before;
    const a = r.totals.after;
    out.push(
      `  Total: revenue ${move(usd(b.revenue), usd(a.revenue))} (${signedUsd(r.totals.change.revenue)}), ` +
        `cost ${move(usd(b.cost), usd(a.cost))} (${signedUsd(r.totals.change.cost)}), ` +
        `margin ${move(usd(b.margin), usd(a.margin))} (${signedUsd(r.totals.change.margin)}), ${move(pct(b.margin_pct), pct(a.margin_pct))}`,
    );
    if (b.unpriced_calls || a.unpriced_calls) out.push(`  ${count(Math.max(b.unpriced_calls, a.unpriced_calls), "call")} with no catalog price are left out of cost`);
    out.push("");
  }
  const br = impact.blast_radius;
  if (br && (br.defaults.length || br.prices.length || br.broken_overrides.length)) {
    out.push(`Blast radius  (${count(br.accounts_total, "account")})`);
    for (const d of br.defaults) {
      out.push(
        `  ${d.field} ${shown(d.before)} -> ${shown(d.after)}: reaches ${count(d.reaches.count, "account")}${d.reaches.count ? ` (${names(d.reaches)})` : ""}` +
          (d.shielded.count ? `; ${d.shielded.count} ${d.shielded.count === 1 ? "keeps its" : "keep their"} override (${names(d.shielded)})` : ""),
      );
    }
    for (const p of br.prices) {
      const why = p.basis === "all-accounts" ? "every account billed for it" : "accounts using the model";
      out.push(`  ${p.address} (${p.fields.join(", ")}): reaches ${count(p.reaches.count, "account")}${p.reaches.count ? ` (${names(p.reaches)})` : ""}, ${why}`);
    }
    for (const o of br.broken_overrides) {
      const where = o.source === "database" ? "saved at runtime" : `${o.source.file}:${o.source.line}`;
      out.push(`  breaks ${o.address} ${o.field}=${shown(o.value)}: ${o.reason} (${where})`);
    }
    out.push("");
  }
  return out;
}

/* -------------------------------------------------------------- Markdown */

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `<code>${inertMarkdown(s)}</code>`;
const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
const change = (a: string, b: string) => (a === b ? a : `${a} → **${b}**`);

export function renderImpactMarkdown(impact: ImpactSections): string {
  const sections: string[] = [];
  const margins = impact.margins.filter((m) => !same(m.before, m.after));
  if (margins.length) {
    sections.push(
      [
        "### Margin impact",
        "",
        "_Image operations per image; token operations per 1M output tokens._",
        "",
        row(["Operation", "Model", "Cost", "Charge", "Margin", "Markup"]),
        "| --- | --- | ---: | ---: | ---: | ---: |",
        ...margins.map((m) =>
          row([
            `${code(m.operation_type)}`,
            `${code(m.model_id)}`,
            change(marginFigure(m.before, "cost"), marginFigure(m.after, "cost")),
            change(marginFigure(m.before, "charge"), marginFigure(m.after, "charge")),
            change(marginFigure(m.before, "margin_pct"), marginFigure(m.after, "margin_pct")),
            change(marginFigure(m.before, "markup_pct"), marginFigure(m.after, "markup_pct")),
          ]),
        ),
      ].join("\n"),
    );
  }
  const r = impact.revenue;
  if (r && r.calls > 0) {
    const b = r.totals.before;
    const a = r.totals.after;
    sections.push(
      [
        "### Revenue impact",
        "",
        `_The last ${r.days} days of usage (${count(r.calls, "call")} since ${r.since.slice(0, 10)}) replayed at the live and the new prices; provider cost from the catalog._`,
        "",
        row(["Operation", "Model", "Calls", "Units", "Revenue", "Cost", "Margin"]),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ...r.lines
          .filter((l) => !same(l.before, l.after))
          .map((l) =>
            row([
              `${code(l.operation_type)}`,
              l.model_id ? `${code(l.model_id)}` : "(no model)",
              l.calls.toLocaleString("en"),
              unitsLabel(l),
              change(revenueFigure(l.before, "revenue"), revenueFigure(l.after, "revenue")),
              change(revenueFigure(l.before, "cost"), revenueFigure(l.after, "cost")),
              change(revenueFigure(l.before, "margin_pct"), revenueFigure(l.after, "margin_pct")),
            ]),
          ),
        row([
          "**Total**",
          "",
          r.calls.toLocaleString("en"),
          "",
          `${change(usd(b.revenue), usd(a.revenue))} (${signedUsd(r.totals.change.revenue)})`,
          `${change(usd(b.cost), usd(a.cost))} (${signedUsd(r.totals.change.cost)})`,
          `${change(pct(b.margin_pct), pct(a.margin_pct))} (${signedUsd(r.totals.change.margin)})`,
        ]),
      ].join("\n"),
    );
  }
  const br = impact.blast_radius;
  if (br && (br.defaults.length || br.prices.length || br.broken_overrides.length)) {
    const lines = ["### Blast radius", "", `_${count(br.accounts_total, "account")} in the database._`, ""];
    if (br.defaults.length || br.prices.length) {
      lines.push(row(["Change", "Reaches", "Unaffected (own override)"]), "| --- | --- | --- |");
      for (const d of br.defaults) {
        lines.push(row([`${code(d.field)}: ${inertMarkdown(shown(d.before))} → ${inertMarkdown(shown(d.after))}`, `${d.reaches.count}${d.reaches.count ? `: ${inertMarkdown(names(d.reaches))}` : ""}`, `${d.shielded.count}${d.shielded.count ? `: ${inertMarkdown(names(d.shielded))}` : ""}`]));
      }
      for (const p of br.prices) {
        lines.push(row([`${code(p.address)} (${inertMarkdown(p.fields.join(", "))})`, `${p.reaches.count}${p.reaches.count ? `: ${inertMarkdown(names(p.reaches))}` : ""}`, p.basis === "all-accounts" ? "-" : "accounts on other models"]));
      }
      lines.push("");
    }
    if (br.broken_overrides.length) {
      lines.push("**Overrides this change breaks**", "", row(["Override", "Field", "Problem", "Declared in"]), "| --- | --- | --- | --- |");
      for (const o of br.broken_overrides) {
        lines.push(row([`${code(o.address)}`, `${code(o.field)} = ${inertMarkdown(shown(o.value))}`, inertMarkdown(o.reason), o.source === "database" ? "database (saved at runtime)" : code(`${o.source.file}:${o.source.line}`)]));
      }
    }
    sections.push(lines.join("\n").trimEnd());
  }
  return sections.length ? sections.join("\n\n") + "\n" : "";
}
