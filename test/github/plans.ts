import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Change, MarginRow, Plan } from "../../src/plan/types.js";
import type { Diagnostic } from "../../src/domain/diagnostic.js";
import { ROOT } from "../helpers/cli.js";

export const PLAN_FIXTURES = join(ROOT, "test", "fixtures", "plans");

export function planFixture(name: string): Plan {
  return JSON.parse(readFileSync(join(PLAN_FIXTURES, name), "utf8")) as Plan;
}

/**
 * A plan whose JSON is at least `minBytes` long: many models updated on many
 * fields, margins and diagnostics, the shape a catalog-wide repricing has.
 */
export function largePlan(minBytes: number): Plan {
  const changes: Change[] = [];
  const margins: MarginRow[] = [];
  const diagnostics: Diagnostic[] = [];
  const plan: Plan = {
    format_version: 1,
    config_digest: "sha256:" + "a".repeat(64),
    state_digest: "sha256:" + "b".repeat(64),
    summary: { create: 0, update: 0, delete: 0, drift: 0, unmanaged: 0 },
    changes,
    impact: { margins },
    diagnostics,
  };
  for (let i = 0; JSON.stringify(plan).length < minBytes; i++) {
    const action = i % 7 === 0 ? "create" : i % 11 === 0 ? "drift" : "update";
    changes.push({
      address: `model/bulk-model-${i}`,
      kind: "model",
      action,
      fields: [
        { name: "display_name", before: `Bulk | model ${i}`, after: `Bulk | model ${i} v2` },
        { name: "input_token_rate", before: "1.00", after: `${(1 + i / 100).toFixed(2)}` },
        { name: "output_token_rate", before: "4.00", after: `${(4 + i / 100).toFixed(2)}` },
        { name: "notes", before: "old `note` <with> markup", after: "new *note* with | pipes |" },
      ],
      source: { file: "config/models/bulk.yaml", line: 10 + i * 12 },
    });
    plan.summary[action]++;
    margins.push({
      operation_type: "content_generation",
      model_id: `bulk-model-${i}`,
      unit: "tokens",
      per: "per_1m_output_tokens",
      before: { cost: "4", charge: "100", margin: "96", margin_pct: "96.00", markup_pct: "2400.00" },
      after: { cost: "4.5", charge: "100", margin: "95.5", margin_pct: "95.50", markup_pct: "2122.22" },
    });
    if (i % 3 === 0) {
      diagnostics.push({ severity: "warning", code: "price.change" as never, message: `price of bulk-model-${i} changes by 12 %`, file: "config/models/bulk.yaml", line: 10 + i * 12, col: 5 });
    }
  }
  return plan;
}

/**
 * Every Markdown table is whole: a header, a separator, and rows with the
 * header's number of cells. A table cut off by a length limit fails this.
 */
export function brokenTables(markdown: string): string[] {
  const problems: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; ) {
    if (!lines[i]!.startsWith("|")) {
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && lines[i]!.startsWith("|")) i++;
    const block = lines.slice(start, i);
    const cells = (line: string) => (line.endsWith("|") ? line.split("|").length - 2 : -1);
    const width = cells(block[0]!);
    if (block.length < 2 || !/^\|( ?-{3}:? \|)+$/.test(block[1]!)) problems.push(`table at line ${start + 1} has no separator`);
    block.forEach((line, k) => {
      if (cells(line) !== width) problems.push(`line ${start + k + 1} has ${cells(line)} cells, the header ${width}`);
    });
  }
  const opened = (markdown.match(/<details>/g) ?? []).length;
  const closed = (markdown.match(/<\/details>/g) ?? []).length;
  if (opened !== closed) problems.push(`${opened} <details> but ${closed} </details>`);
  return problems;
}
