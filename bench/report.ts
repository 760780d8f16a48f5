import type { DialectResult, SizeResult, Timing } from "./run.js";

/** The targets the numbers are judged against. */
export const TARGETS = {
  /** A full apply of this many resources from empty... */
  fullApplyResources: 10_000,
  /** ...takes less than this on SQLite. */
  fullApplyMs: 1_000,
  /** The per-row upsert loop takes at least this many times as long as cfgsync. */
  minRatio: 20,
};

export interface Verdict {
  dialect: string;
  /** The largest size run: ratios are judged there. */
  largest: number;
  /** Apply from empty at >= fullApplyResources; null when no such size was run. The < 1 s target is SQLite's. */
  fullApply: { resources: number; ms: number; met: boolean | null } | null;
  ratio: { fromEmpty: number; change1pct: number; met: boolean };
  noopPlan: { fromResources: number; toResources: number; fromMs: number; toMs: number; growth: number; roundTrips: number[]; constant: boolean };
  /** Every follow-up plan found nothing to do: each apply left the database matching the desired state. */
  converged: boolean;
}

export function verdictOf(result: DialectResult): Verdict {
  const sizes = [...result.sizes].sort((a, b) => a.resources - b.resources);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (!first || !last) throw new Error(`no sizes were run on ${result.dialect}`);
  const full = sizes.find((s) => s.resources >= TARGETS.fullApplyResources);
  const roundTrips = sizes.map((s) => s.noopPlan.roundTrips);
  return {
    dialect: result.dialect,
    largest: last.resources,
    fullApply: full
      ? {
          resources: full.resources,
          ms: full.applyFromEmpty.ms,
          met: result.dialect === "sqlite" ? full.applyFromEmpty.ms < TARGETS.fullApplyMs : null,
        }
      : null,
    ratio: {
      fromEmpty: last.ratio.fromEmpty,
      change1pct: last.ratio.change1pct,
      met: last.ratio.fromEmpty >= TARGETS.minRatio && last.ratio.change1pct >= TARGETS.minRatio,
    },
    noopPlan: {
      fromResources: first.resources,
      toResources: last.resources,
      fromMs: first.noopPlan.ms,
      toMs: last.noopPlan.ms,
      growth: last.noopPlan.ms / first.noopPlan.ms,
      roundTrips,
      constant: new Set(roundTrips).size === 1,
    },
    converged: sizes.every((s) => Object.values(s.followUpChanges).every((n) => n === 0)),
  };
}

const int = (n: number) => n.toLocaleString("en");
const ms = (n: number) => (n >= 100 ? int(Math.round(n)) : n.toFixed(1));
const withRt = (t: Timing) => `${ms(t.ms)} (${int(t.roundTrips)})`;
const ratio = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}x`;
const yes = (b: boolean) => (b ? "yes" : "NO");

const HEADER = [
  "resources",
  "apply from empty ms (rt)",
  "naive ms (rt)",
  "naive/cfgsync",
  "no-op plan ms (rt)",
  "1% change ms (rt)",
  "naive 1% ms (rt)",
  "naive/cfgsync",
];

function row(s: SizeResult): string[] {
  return [
    int(s.resources),
    withRt(s.applyFromEmpty),
    withRt(s.naiveFromEmpty),
    ratio(s.ratio.fromEmpty),
    withRt(s.noopPlan),
    withRt(s.change1pct),
    withRt(s.naiveChange1pct),
    ratio(s.ratio.change1pct),
  ];
}

/** A plain-text table, right-aligned numbers, one row per size. */
export function formatTable(result: DialectResult): string {
  const rows = [HEADER, ...result.sizes.map(row)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ");
  const rule = widths.map((w) => "-".repeat(w)).join("-|-");
  return [`${result.dialect}`, line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function formatVerdict(v: Verdict): string {
  const parts: string[] = [];
  if (!v.fullApply) parts.push(`full apply of ${int(TARGETS.fullApplyResources)}: not measured (largest size ${int(v.largest)})`);
  else if (v.fullApply.met === null) parts.push(`full apply of ${int(v.fullApply.resources)}: ${ms(v.fullApply.ms)} ms`);
  else parts.push(`full apply of ${int(v.fullApply.resources)}: ${ms(v.fullApply.ms)} ms (< 1 s: ${yes(v.fullApply.met)})`);
  parts.push(
    `naive/cfgsync at ${int(v.largest)}: ${ratio(v.ratio.fromEmpty)} from empty, ${ratio(v.ratio.change1pct)} for a 1% change (>= ${TARGETS.minRatio}x: ${yes(v.ratio.met)})`,
  );
  const n = v.noopPlan;
  parts.push(
    `no-op plan ${int(n.fromResources)} -> ${int(n.toResources)} resources: ${ms(n.fromMs)} -> ${ms(n.toMs)} ms (x${n.growth.toFixed(1)} for x${(n.toResources / n.fromResources).toFixed(0)} rows), ` +
      (n.constant ? `${n.roundTrips[0]} round trips at every size` : `round trips by size ${n.roundTrips.join(", ")} (constant: NO)`),
  );
  parts.push(`follow-up plans empty: ${yes(v.converged)}`);
  return `${v.dialect} verdict: ${parts.join("; ")}`;
}
