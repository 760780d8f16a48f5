import { inert, inertMarkdown } from "../domain/inert.js";
import type { PlanImpact } from "../plan/types.js";
import type { AccountList, DefaultChangeReach, PriceChangeReach, UsageReach } from "../plan/impact/blast-radius.js";
import type { ApartTotals, CostMethod, RevenueFigures, RevenueImpact, RevenueLine } from "../plan/impact/revenue.js";
import { marginMoney, marginPercent, money, move, percent, signedMoney } from "./figures.js";

/*
 * The revenue replay and blast radius sections of a plan as text and Markdown
 * (the margin table is the plan renderers' own: it streams, capped). Pure: the plan's data in, lines out; no colour (the text
 * renderer may paint whole lines; a loss is also marked in words). Figures
 * follow one rule (render/figures.ts).
 */

export type ImpactSections = Pick<PlanImpact, "revenue" | "blast_radius">;

const LISTED = 10;

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const shown = (v: unknown) => (v === null || v === undefined ? "(none)" : JSON.stringify(v));
const instant = (iso: string) => iso.replace("T", " ").replace(/:\d\d\.\d{3}Z$|:\d\dZ$/, " UTC");

function names(list: AccountList): string {
  const listed = list.accounts.slice(0, LISTED);
  const more = list.count - listed.length;
  return listed.join(", ") + (more > 0 ? `, and ${more} more` : "");
}
const accountsPhrase = (list: AccountList) => `${count(list.count, "account")}${list.count ? ` (${names(list)})` : ""}`;

function revenueFigure(f: RevenueFigures | null, key: "revenue" | "cost" | "margin_pct"): string {
  if (!f) return "not billed";
  if (key === "margin_pct") return f.cost === null ? "no price" : marginPercent(f.margin_pct);
  return key === "cost" && f.cost === null ? "no price" : money(f[key]);
}

const lineLabel = (l: Pick<RevenueLine, "operation_type" | "model_id">) => `${l.operation_type} x ${l.model_id ?? "(no model)"}`;
const unitsLabel = (l: RevenueLine) => (l.unit === "image" ? count(l.units, "image") : l.unit === "tokens" ? count(l.units, "token") : "");

const METHOD_WORDS: Record<CostMethod, string> = {
  token_counts: "from their input/output token counts",
  image_counts: "from their image counts",
  scaled: "by scaling the recorded cost_usd with the change of the rate they paid",
};
const STATUS_WORDS: Record<ApartTotals["status"], string> = {
  billing_stops: "billing stops (the credit rule is deactivated or deleted)",
  billing_starts: "billing starts (no active credit rule before)",
  no_price_after: "no price after (the model is deleted, inactive or has no rate: not a saving)",
  unpriced: "unpriced (the catalog has no rate for the model before either)",
  unbilled: "unbilled (no active credit rule)",
};

function methodsPhrase(r: RevenueImpact): string {
  const parts = (Object.keys(METHOD_WORDS) as CostMethod[]).filter((m) => r.cost_methods[m] > 0).map((m) => `${count(r.cost_methods[m], "call")} ${METHOD_WORDS[m]}`);
  return parts.length ? `Cost after: ${parts.join("; ")}.` : "";
}

function apartPhrase(a: ApartTotals): string {
  const revenue = a.revenue_before !== null || a.revenue_after !== null ? `, revenue ${move(money(a.revenue_before ?? "0"), money(a.revenue_after ?? "0"))}` : "";
  return `${STATUS_WORDS[a.status]}: ${count(a.calls, "call")}${revenue}, recorded cost ${money(a.cost_before)}`;
}

const windowPhrase = (r: RevenueImpact) => `the last ${r.days} days, ${instant(r.since)} to ${instant(r.until)}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function usagePhrase(u: UsageReach | null, days: number | null): string {
  if (!u) return "";
  return ` | last ${days ?? "?"} days of usage: ${accountsPhrase(u.accounts)}, ${count(u.calls, "call")}, ${percent(u.revenue_share_pct)} of revenue`;
}

const usersPhrase = (n: number | null) => (n === null ? "" : `, ${count(n, "user")}`);

function defaultText(d: DefaultChangeReach, days: number | null): string {
  const partly = d.partly_shielded.map((p) => `${p.account} keeps its own ${p.keeps.join(", ")}`);
  return (
    `  ${d.field} ${shown(d.before)} -> ${shown(d.after)}: config reaches ${accountsPhrase(d.reaches)}${usersPhrase(d.users)}` +
    (d.shielded.count ? `; ${d.shielded.count} ${d.shielded.count === 1 ? "keeps its" : "keep their"} override (${names(d.shielded)})` : "") +
    (partly.length ? `; ${partly.join("; ")}` : "") +
    usagePhrase(d.usage, days)
  );
}

function priceText(p: PriceChangeReach, days: number | null): string {
  const why = p.basis === "all-accounts" ? "every account may run the operation" : "accounts and users whose model it is";
  return `  ${p.address} (${p.fields.join(", ")}): config reaches ${accountsPhrase(p.reaches)}${usersPhrase(p.users)}, ${why}${usagePhrase(p.usage, days)}`;
}

/* ------------------------------------------------------------------ text */

/** Lines of text; every line is made inert (the values in it come from config and the database). */
export function renderImpactText(impact: ImpactSections): string[] {
  return impactTextLines(impact).map(inert);
}

function impactTextLines(impact: ImpactSections): string[] {
  const out: string[] = [];
  const r = impact.revenue;
  if (r && r.calls > 0) {
    out.push(
      `Revenue impact  (${windowPhrase(r)}: ${count(r.compared_calls, "call")} billed and priced before and after; before as recorded, after repriced)`,
    );
    for (const l of r.lines) {
      if (l.status !== "compared" || !l.changed) continue;
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
      `  Total: revenue ${move(money(b.revenue), money(a.revenue))} (${signedMoney(r.totals.change.revenue)}), ` +
        `cost ${move(money(b.cost), money(a.cost))} (${signedMoney(r.totals.change.cost)}), ` +
        `margin ${move(marginMoney(b.margin), marginMoney(a.margin))} (${signedMoney(r.totals.change.margin)}), ${move(marginPercent(b.margin_pct), marginPercent(a.margin_pct))}`,
    );
    const methods = methodsPhrase(r);
    if (methods) out.push(`  ${methods}`);
    out.push(`  Recorded: ${count(r.calls, "call")} charged ${count(r.recorded.credits, "credit")}, cost_usd ${money(r.recorded.cost)}.`);
    if (r.apart.length) {
      out.push("  Not in the margin:");
      for (const a of r.apart) {
        out.push(`    ${apartPhrase(a)}`);
        for (const l of r.lines.filter((x) => x.status === a.status).slice(0, LISTED)) out.push(`      ${lineLabel(l)}: ${count(l.calls, "call")}`);
      }
    }
    out.push("");
  }
  const br = impact.blast_radius;
  if (br && (br.defaults.length || br.prices.length || br.broken_overrides.length)) {
    out.push(`Blast radius  (${count(br.accounts_total, "account")}${usersPhrase(br.users_total)}; by configuration, as resolve resolves${br.usage_days ? `, and by the last ${br.usage_days} days of usage` : ""})`);
    for (const d of br.defaults) out.push(defaultText(d, br.usage_days));
    for (const p of br.prices) out.push(priceText(p, br.usage_days));
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
const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
/** Code in a cell: inert, entities for what Markdown or HTML would read (see domain/inert.ts). */
const code = (s: string) => `<code>${inertMarkdown(s)}</code>`;
const mdNames = (list: AccountList) => inertMarkdown(names(list));
const mdShown = (v: unknown) => inertMarkdown(shown(v as never));
const change = (a: string, b: string) => (a === b ? a : `${a} → **${b}**`);

function usageCell(u: UsageReach | null): string {
  if (!u) return "-";
  return `${u.accounts.count}${u.accounts.count ? `: ${mdNames(u.accounts)}` : ""}; ${count(u.calls, "call")}; ${percent(u.revenue_share_pct)} of revenue`;
}

export function renderImpactMarkdown(impact: ImpactSections): string {
  const sections: string[] = [];
  const r = impact.revenue;
  if (r && r.calls > 0) {
    const b = r.totals.before;
    const a = r.totals.after;
    const methods = methodsPhrase(r);
    const lines = [
      "### Revenue impact",
      "",
      `_${capital(windowPhrase(r))}: ${count(r.compared_calls, "call")} billed and priced before and after. Before as recorded (credits charged x price per credit, cost_usd), after repriced at the new prices. ${methods}_`,
      "",
      row(["Operation", "Model", "Calls", "Units", "Revenue", "Cost", "Margin"]),
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      ...r.lines
        .filter((l) => l.status === "compared" && l.changed)
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
        r.compared_calls.toLocaleString("en"),
        "",
        `${change(money(b.revenue), money(a.revenue))} (${signedMoney(r.totals.change.revenue)})`,
        `${change(money(b.cost), money(a.cost))} (${signedMoney(r.totals.change.cost)})`,
        `${change(marginPercent(b.margin_pct), marginPercent(a.margin_pct))} (${signedMoney(r.totals.change.margin)})`,
      ]),
      "",
      `Recorded: ${count(r.calls, "call")} charged ${count(r.recorded.credits, "credit")}, cost_usd ${money(r.recorded.cost)}.`,
    ];
    if (r.apart.length) {
      lines.push("", "**Not in the margin**", "");
      for (const x of r.apart) {
        const which = r.lines.filter((l) => l.status === x.status).slice(0, LISTED).map((l) => `${code(lineLabel(l))}`);
        lines.push(`- ${apartPhrase(x)}: ${which.join(", ")}`);
      }
    }
    sections.push(lines.join("\n"));
  }
  const br = impact.blast_radius;
  if (br && (br.defaults.length || br.prices.length || br.broken_overrides.length)) {
    const lines = [
      "### Blast radius",
      "",
      `_${count(br.accounts_total, "account")}${usersPhrase(br.users_total)} in the database. By configuration: as \`resolve\` resolves (Global → Account → User)${br.usage_days ? `; by usage: the last ${br.usage_days} days of credit_usage_log` : ""}._`,
      "",
    ];
    if (br.defaults.length || br.prices.length) {
      lines.push(row(["Change", "Config reaches", "Users", "Keeps its own value", "Usage reaches"]), "| --- | --- | ---: | --- | --- |");
      for (const d of br.defaults) {
        const keeps = [...(d.shielded.count ? [`${d.shielded.count}: ${mdNames(d.shielded)}`] : []), ...d.partly_shielded.map((p) => `${inertMarkdown(p.account)}: ${inertMarkdown(p.keeps.join(", "))}`)];
        lines.push(
          row([
            `${code(d.field)}: ${mdShown(d.before)} → ${mdShown(d.after)}`,
            `${d.reaches.count}${d.reaches.count ? `: ${mdNames(d.reaches)}` : ""}`,
            d.users === null ? "-" : String(d.users),
            keeps.length ? keeps.join("; ") : "-",
            usageCell(d.usage),
          ]),
        );
      }
      for (const p of br.prices) {
        lines.push(
          row([
            `${code(p.address)} (${inertMarkdown(p.fields.join(", "))})`,
            `${p.reaches.count}${p.reaches.count ? `: ${mdNames(p.reaches)}` : ""}`,
            p.users === null ? "-" : String(p.users),
            p.basis === "all-accounts" ? "-" : "accounts on other models",
            usageCell(p.usage),
          ]),
        );
      }
      lines.push("");
    }
    if (br.broken_overrides.length) {
      lines.push("**Overrides this change breaks**", "", row(["Override", "Field", "Problem", "Declared in"]), "| --- | --- | --- | --- |");
      for (const o of br.broken_overrides) {
        lines.push(row([`${code(o.address)}`, `${code(o.field)} = ${mdShown(o.value)}`, inertMarkdown(o.reason), o.source === "database" ? "database (saved at runtime)" : code(`${o.source.file}:${o.source.line}`)]));
      }
    }
    sections.push(lines.join("\n").trimEnd());
  }
  return sections.length ? sections.join("\n\n") + "\n" : "";
}
