import { inert, inertMarkdown } from "../domain/inert.js";
import { timeUntil } from "../domain/schedule.js";
import type { RevenueImpact } from "../plan/impact/revenue.js";
import type { ScheduledSection, ScheduledStep } from "../plan/types.js";
import { marginCells, marginLineText, marginMoney, marginPercent, money, move, signedMoney } from "./figures.js";
import { displayValue, movedMargins } from "./value.js";

/*
 * The plan's "Scheduled" section (issue #14): what comes due after the plan's
 * instant, each step with the fields it changes (from -> to, where written),
 * the margins that move and the replayed revenue, in text and Markdown.
 */

/** "2027-01-01 00:00 UTC" (seconds only when the instant has them). */
export const instantWords = (iso: string): string => iso.replace("T", " ").replace(/(:00)?(\.\d+)?Z$/, " UTC");

const when = (step: ScheduledStep) => `${instantWords(step.effective_from)} (${timeUntil(step.due_in_seconds * 1000)})`;

const HEADING = (s: ScheduledSection) => `not yet due as of ${instantWords(s.as_of)}; apply and sync apply each step once it is due`;

function revenueLine(r: RevenueImpact): string {
  const b = r.totals.before;
  const a = r.totals.after;
  return (
    `revenue over the last ${r.days} days replayed at these prices (${r.compared_calls} calls; before as recorded): ` +
    `revenue ${move(money(b.revenue), money(a.revenue))} (${signedMoney(r.totals.change.revenue)}), ` +
    `margin ${move(marginMoney(b.margin), marginMoney(a.margin))}, ${move(marginPercent(b.margin_pct), marginPercent(a.margin_pct))}`
  );
}

/** Lines of text, inert (every value comes from config). */
export function scheduledTextLines(section: ScheduledSection | undefined): string[] {
  if (!section) return [];
  const out = [`Scheduled  (${HEADING(section)})`];
  for (const step of section.steps) {
    out.push(`  ${when(step)}`);
    for (const c of step.changes) {
      out.push(`      ~ ${c.address} ${c.field}: ${displayValue(c.before)} -> ${displayValue(c.after)}  (${c.source.file}:${c.source.line})`);
    }
    const margins = movedMargins(step.margins);
    for (const row of margins.shown) out.push(`    ${marginLineText(row)}`);
    if (margins.more) out.push(`      ... and ${margins.more} more margins that move (the JSON plan lists all)`);
    if (step.revenue && step.revenue.calls > 0) out.push(`      ${revenueLine(step.revenue)}`);
  }
  out.push("");
  return out.map(inert);
}

/** The Markdown section of a PR comment; "" when nothing is scheduled. */
export function scheduledMarkdown(section: ScheduledSection | undefined): string {
  if (!section) return "";
  const parts = [`### Scheduled\n\nPrice and limit changes ${inertMarkdown(HEADING(section))}.`];
  for (const step of section.steps) {
    const rows = step.changes.map(
      (c) =>
        `| <code>${inertMarkdown(c.address)}</code> | <code>${inertMarkdown(c.field)}</code> | <code>${inertMarkdown(displayValue(c.before))}</code> → <code>${inertMarkdown(displayValue(c.after))}</code> | <code>${inertMarkdown(`${c.source.file}:${c.source.line}`)}</code> |`,
    );
    const margins = movedMargins(step.margins).shown.map((r) => {
      const cells = marginCells(r, "→");
      return `- <code>${inertMarkdown(r.operation_type)}</code> × <code>${inertMarkdown(r.model_id)}</code>: cost ${inertMarkdown(cells.cost)}, charge ${inertMarkdown(cells.charge)}, margin ${inertMarkdown(cells.margin_pct)}`;
    });
    const revenue = step.revenue && step.revenue.calls > 0 ? [`- ${inertMarkdown(revenueLine(step.revenue))}`] : [];
    parts.push(
      `**${inertMarkdown(when(step))}**\n\n| resource | field | from → to | where |\n| --- | --- | --- | --- |\n${rows.join("\n")}` +
        (margins.length || revenue.length ? `\n\n${[...margins, ...revenue].join("\n")}` : ""),
    );
  }
  return parts.join("\n\n");
}
