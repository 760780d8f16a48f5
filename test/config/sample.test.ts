import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import { escapeData, githubCommand } from "../../src/config/report.js";
import { KIND_ORDER, MODEL_FIELDS, INTEGRATION_FIELDS, OVERRIDE_FIELDS, CREDIT_FIELDS } from "../../src/domain/resources.js";
import { describe_, TODAY } from "./sample.js";

describe("the sample config/", () => {
  it("validates with exit 0 through the CLI", async () => {
    const r = await runCli(["validate"], { timeoutMs: 20_000 });
    expect(r.stdout).toBe("config is valid (0 errors, 0 warnings)\n");
    expect(r.code).toBe(0);
  });

  it("validates from another working directory (schemas found from the package root)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "cfgsync-cwd-"));
    try {
      const r = await runCli(["validate", "--config-dir", join(ROOT, "config"), "--json"], { cwd, timeoutMs: 20_000 });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ valid: true, errors: 0, warnings: 0, diagnostics: [] });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("loads into the normalised desired state of the contract", async () => {
    const { desired, diagnostics, filesDigest } = await loadConfig("config", { cwd: ROOT, today: TODAY });
    expect(diagnostics, describe_(diagnostics)).toEqual([]);
    expect(filesDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const ranks = desired.resources.map((r) => KIND_ORDER.indexOf(r.kind));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(desired.resources.filter((r) => r.kind === "model")).toHaveLength(17);
    expect(desired.resources.filter((r) => r.kind === "credit")).toHaveLength(7);
    expect(desired.resources.filter((r) => r.kind === "settings-schema")).toHaveLength(5);

    const dalle3 = desired.resources.find((r) => r.address === "model/dall-e-3")!;
    expect(Object.keys(dalle3.fields)).toEqual(MODEL_FIELDS.map((f) => f.name));
    expect(dalle3).toMatchObject({
      kind: "model",
      key: { model_id: "dall-e-3" },
      fields: { provider: "openai", cost_per_image: "0.04", available_sizes: ["1024x1024", "1024x1792", "1792x1024"], input_token_rate: null, is_active: true, is_default: true, supports_tools: false, notes: null },
      source: { file: "config/models/openai.yaml", line: 67, col: 5 },
    });
    expect(dalle3.fieldSources?.cost_per_image).toEqual({ file: "config/models/openai.yaml", line: 70, col: 21 });
    expect(desired.resources.find((r) => r.address === "model/gpt-4.1")!.fields.release_date).toBe("2025-04-14");

    const linking = desired.resources.find((r) => r.address === "credit/linking")!;
    expect(Object.keys(linking.fields)).toEqual(CREDIT_FIELDS.map((f) => f.name));
    expect(linking.fields).toMatchObject({ price_per_credit_usd: "0.005", tokens_per_credit: 300, credits: null, is_active: true });

    const integration = desired.resources.find((r) => r.address === "integration/global")!;
    expect(integration.key).toEqual({ id: "1" });
    expect(Object.keys(integration.fields)).toEqual(INTEGRATION_FIELDS.map((f) => f.name));
    expect(integration.fields).toMatchObject({
      openai_api_key: { sensitive: true, digest: null, from_env: "OPENAI_API_KEY" },
      openai_model: "gpt-4o-mini",
      openai_temperature: "0.7",
      openai_max_tokens: 8192,
      dalle_size: "1024x1024",
      runware_model: "runware:97@1",
      max_in_article_images: 2,
      image_style: "photorealistic",
    });
    expect(desired.secretRefs.map((s) => s.name)).toEqual(["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DALLE_API_KEY", "RUNWARE_API_KEY", "BRIA_API_KEY"]);
    expect(desired.secretRefs[0]).toMatchObject({ address: "integration/global", field: "openai_api_key", file: "config/integrations.yaml", line: 8 });

    const override = desired.resources.find((r) => r.address === "account/acme/integration/openai")!;
    expect(override.key).toEqual({ account: "acme", integration_type: "openai" });
    expect(Object.keys(override.fields)).toEqual(OVERRIDE_FIELDS.map((f) => f.name));
    expect(override.fields).toMatchObject({ model: "gpt-4o", temperature: "0.4", size: null });
    expect(desired.resources.find((r) => r.address === "account/acme/setting/content.tone")).toMatchObject({
      key: { account: "acme", key: "content.tone" },
      fields: { value: "friendly" },
    });
    expect(desired.accounts.map((a) => a.slug)).toEqual(["acme", "globex"]);
    expect(desired.policy).toMatchObject({ min_margin_pct: 40, protected: ["credit/image_generation"], source: { file: "config/policies.yaml" } });
  });

  it("the literal seed (defaults missing from its catalog) is rejected, naming model and file:line", async () => {
    const r = await runCli(["validate", "--config-dir", "test/fixtures/seed-literal"], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "test/fixtures/seed-literal/integrations.yaml:12:12: error: the global anthropic settings uses model claude-3-5-sonnet-20241022, which is not in the catalog",
    );
    expect(r.stdout).toContain(
      "test/fixtures/seed-literal/integrations.yaml:21:12: error: the global runware settings uses model runware:97@1, which is not in the catalog",
    );
  });
});

describe("validate output formats", () => {
  it("--format github prints workflow commands with file, line and col", async () => {
    const r = await runCli(["validate", "--config-dir", "test/fixtures/malformed/unknown-field-typo", "--format", "github"], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "::error file=test/fixtures/malformed/unknown-field-typo/models/openai.yaml,line=8,col=5,title=schema.unknown-field::unknown field `input_token_rat` in model gpt-4.1; did you mean `input_token_rate`?\n",
    );
  });

  it("--json reports valid, counts and diagnostics", async () => {
    const r = await runCli(["validate", "--config-dir", "test/fixtures/malformed/bad-enum", "--json"], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { valid: boolean; errors: number; diagnostics: { code: string; line?: number }[] };
    expect(report.valid).toBe(false);
    expect(report.errors).toBe(report.diagnostics.length);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: "schema.enum", line: 7, col: 17 }));
  });

  it("escapes %, CR and LF in messages and : , in properties, per GitHub's rules", () => {
    expect(escapeData("50% off\r\nnext")).toBe("50%25 off%0D%0Anext");
    expect(githubCommand({ severity: "warning", code: "x" as never, message: "a\nb", file: "a:b,c.yaml", line: 2, col: 3 })).toBe(
      "::warning file=a%3Ab%2Cc.yaml,line=2,col=3,title=x::a%0Ab\n",
    );
  });
});
