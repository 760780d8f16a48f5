import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLitellm } from "../../src/config/reference/litellm.js";
import { dec } from "../../src/domain/money.js";
import { SCALAR_PRICES } from "../../src/schema/prices.js";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";

const SAMPLE = "/work/shared/data/litellm-sample.json";
const FIXTURE = join(ROOT, "test/fixtures/litellm/openai-extract.json");

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) files.set(join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), "utf8"));
  }
  return files;
}

describe.each(DIALECTS)("catalog import of the LiteLLM sample into a config with no models (%s)", (dialect) => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace(dialect);
    // No models, no credits, no accounts: integrations declare nothing yet.
    rmSync(ws.configDir, { recursive: true, force: true });
    mkdirSync(ws.configDir);
    writeFileSync(join(ws.configDir, "integrations.yaml"), "apiVersion: cfgsync/v1\nkind: IntegrationSettings\nproviders: {}\n");
  }, 60_000);
  afterAll(async () => ws.dispose());

  it("imports, validates with 0 errors, applies, re-plans no changes, and stores every price exactly", async () => {
    const imported = await ws.cli(["catalog", "import", SAMPLE, "--format", "litellm", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as { added: unknown[]; skipped: { count: number }[]; rounded: unknown[] };
    expect(report.added).toHaveLength(257);
    expect(report.skipped.reduce((n, s) => n + s.count, 0)).toBe(44);
    expect(report.rounded).toHaveLength(5);

    const validated = await ws.cli(["validate"]);
    expect(validated.stdout).toContain("config is valid (0 errors, 0 warnings)");

    const migrated = await ws.cli(["db", "migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const applied = await ws.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    const plan = await ws.cli(["plan", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    // Every stored price, value by value, equals what the importer read from the source text.
    const expected = parseLitellm(readFileSync(SAMPLE, "utf8")).models;
    const rows = await ws.db.query<Record<string, unknown>>(`SELECT * FROM ai_model_config`);
    expect(rows).toHaveLength(expected.length);
    const byId = new Map(rows.map((r) => [String(r.model_id), r]));
    let compared = 0;
    for (const m of expected) {
      const row = byId.get(m.model_id)!;
      for (const { field } of SCALAR_PRICES) {
        const want = m.fields[field] as string | undefined;
        if (want === undefined) expect(row[field], `${m.model_id} ${field}`).toBeNull();
        else expect(dec(String(row[field])).eq(dec(want)), `${m.model_id} ${field}: ${String(row[field])} vs ${want}`).toBe(true), (compared += 1);
      }
      for (const list of ["context_tiers", "image_prices"]) {
        const stored = row[list] === null ? undefined : typeof row[list] === "string" ? JSON.parse(row[list] as string) : row[list];
        expect(stored, `${m.model_id} ${list}`).toEqual(m.fields[list]);
      }
    }
    expect(compared).toBeGreaterThan(400);
  }, 240_000);

  it("changes no file when run twice", async () => {
    const before = snapshot(ws.configDir);
    const again = await ws.cli(["catalog", "import", SAMPLE, "--format", "litellm"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 added, 0 updated, 257 unchanged, 44 skipped.");
    expect(snapshot(ws.configDir)).toEqual(before);
  }, 60_000);
});

describe("catalog import and compare on the sample config (sqlite)", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace("sqlite");
    await ws.prepareDatabase();
    const applied = await ws.cli(["apply", "--auto-approve"]);
    if (applied.code !== 0) throw new Error(applied.stderr);
  }, 90_000);
  afterAll(async () => ws.dispose());

  it("a broken reference file is an error at its file:line:col, and nothing is written", async () => {
    const before = snapshot(ws.configDir);
    writeFileSync(join(ws.dir, "bad.json"), '{\n  "gpt-4o": { "mode": "chat", },\n}\n');
    const r = await ws.cli(["catalog", "import", "bad.json", "--format", "litellm"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.json:2:31: not valid JSON: expected '\"', found '}' [catalog.reference-invalid]");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(ws.configDir)).toEqual(before);
  }, 60_000);

  it("compare flags output_token_rate 0.00001 on gpt-4o as a unit mistake and exits 2", async () => {
    ws.edit("models/openai.yaml", (t) => t.replace("    output_token_rate: 10.00\n    max_input_tokens: 128000", "    output_token_rate: 0.00001\n    max_input_tokens: 128000"));
    const text = await ws.cli(["catalog", "compare", FIXTURE, "--format", "litellm"]);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain("gpt-4o output_token_rate: ours 0.00001, reference 10  (x0.000001)  UNIT MISTAKE: per-token price typed as per 1M");
    const md = await ws.cli(["catalog", "compare", FIXTURE, "--format", "litellm", "--format", "markdown"]);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain("| `gpt-4o` | `output_token_rate` | 0.00001 | 10 | 0.000001 | ⚠️ unit mistake");
    const json = JSON.parse((await ws.cli(["catalog", "compare", FIXTURE, "--format", "litellm", "--json"])).stdout) as { differences: { unit_mistake: string | null }[] };
    expect(json.differences.filter((d) => d.unit_mistake)).toHaveLength(1);
  }, 120_000);

  it("import keeps hand-set fields and comments, and the plan shows the dall-e-3 HD 1024x1792 loss at its dimension", async () => {
    const openaiFile = join(ws.configDir, "models/openai.yaml");
    const before = readFileSync(openaiFile, "utf8");
    const imported = await ws.cli(["catalog", "import", FIXTURE, "--format", "litellm"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("0 added, 2 updated, 0 unchanged, 0 skipped.");
    const after = readFileSync(openaiFile, "utf8");
    // Comments, hand-set fields and untouched values stay byte for byte.
    for (const kept of ["# OpenAI models (seed: AIModelConfig).", "    display_name: GPT-4o\n", "    sort_order: 30\n", "    notes: Inactive in the seed.\n", "    cost_per_image: 0.040\n"]) {
      expect(after).toContain(kept);
    }
    expect(after.split("\n").length).toBeGreaterThan(before.split("\n").length);
    expect(after).toContain("    output_token_rate: 10\n");
    expect(after).toContain("{size: 1024x1792, quality: hd, cost_per_image: 0.1199911731}");

    // The policy checks the worst price: the 40 % floor fails on the HD 1024x1792 image.
    const validated = await ws.cli(["validate"]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/image_generation on dall-e-3: margin -19\.99 % is below min_margin_pct of 40 %/);
    // Accepting the loss explicitly (a floor with a note) lets the plan show it in the margin table.
    ws.edit("policies.yaml", (t) =>
      t.replace("min_margin_pct_by_operation:\n", "min_margin_pct_by_operation:\n  image_generation:\n    min_margin_pct: -25\n    note: HD portrait images lose money until repriced.\n"),
    );
    const plan = await ws.cli(["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    // Figures in the one presentation (issue #13): money to four significant digits under a dollar, percentages with two decimals, a loss marked.
    expect(plan.stdout).toContain("image_generation x dall-e-3: cost $0.04 -> $0.12, charge $0.10");
    expect(plan.stdout).toContain("margin 60.00 % -> -19.99 % (loss), markup 150.00 % -> -16.66 % (loss)");
    expect(plan.stdout).toContain("at the worst price: image_prices[1024x1792 hd]; cheapest: image_prices[1024x1024 standard]");
    const saved = await ws.cli(["plan", "--out", "plan.json"]);
    expect(saved.code, saved.stderr).toBe(0);
    const margins = (JSON.parse(readFileSync(join(ws.dir, "plan.json"), "utf8")) as { impact: { margins: { model_id: string; prices?: unknown }[] } }).impact.margins;
    expect(margins.find((m) => m.model_id === "dall-e-3")?.prices).toMatchObject({
      before: { dimension: "cost_per_image" },
      after: { dimension: "image_prices[1024x1792 hd]", cheapest: { dimension: "image_prices[1024x1024 standard]" } },
    });
  }, 120_000);
});

