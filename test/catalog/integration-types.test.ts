import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/runtime/index.js";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";

const GOOGLE_KEY = "AIza-test-google-0000000000SECRET";

/** The sample config plus a provider no code knows: a google catalog, a declared integration and an account override. */
function declareGoogle(ws: Workspace): void {
  mkdirSync(join(ws.configDir, "models/google"));
  writeFileSync(
    join(ws.configDir, "models/google/gemini.yaml"),
    [
      "apiVersion: cfgsync/v1",
      "kind: ModelCatalog",
      "provider: google",
      "models:",
      "  - model_id: gemini-2.5-pro",
      "    display_name: Gemini 2.5 Pro",
      "    model_type: text",
      "    input_token_rate: 1.25",
      "    output_token_rate: 10",
      "    max_input_tokens: 1048576",
      "    max_output_tokens: 65536",
      "    context_tiers:",
      "      - { above_input_tokens: 200000, input_token_rate: 2.5, output_token_rate: 12 }",
      "",
    ].join("\n"),
  );
  ws.edit("integrations.yaml", (t) =>
    t.replace("default_text_provider: openai", "  google:\n    api_key: { from_env: GOOGLE_API_KEY }\n    model: gemini-2.5-pro\n    temperature: 0.5\ndefault_text_provider: openai"),
  );
  ws.edit("accounts/acme.yaml", (t) => t.replace("  dalle: { size: 1792x1024 }", "  dalle: { size: 1792x1024 }\n  google: { temperature: 0.2 }"));
}

describe.each(DIALECTS)("a declared integration type (%s)", (dialect) => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    declareGoogle(ws);
  }, 60_000);
  afterAll(async () => ws.dispose());

  it("validates, applies into its own table, re-plans no changes, resolves and takes runtime overrides", async () => {
    const env = { GOOGLE_API_KEY: GOOGLE_KEY };
    const validated = await ws.cli(["validate"], { env });
    expect(validated.stdout + validated.stderr).toContain("config is valid (0 errors");
    const applied = await ws.cli(["apply", "--auto-approve"], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("integration-type/google");
    expect(applied.stdout + applied.stderr).not.toContain(GOOGLE_KEY);
    const rows = await ws.db.query<Record<string, unknown>>(`SELECT integration_type, provider, model_type, api_key, model, temperature FROM integration_type_settings`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ integration_type: "google", provider: "google", model_type: "text", api_key: GOOGLE_KEY, model: "gemini-2.5-pro" });
    const plan = await ws.cli(["plan", "--detailed-exitcode"], { env });
    expect(plan.code, plan.stdout).toBe(0);

    const resolved = await ws.cli(["resolve", "--account", "acme"], { env });
    expect(resolved.stdout).toMatch(/file:config\/integrations\.yaml:\d+:\d+\s+integration\.google\.model=gemini-2\.5-pro/);
    expect(resolved.stdout).toMatch(/file:config\/accounts\/acme\.yaml:\d+:\d+\s+integration\.google\.temperature=0\.2/);

    const runtime = await createRuntime({ databaseUrl: ws.db.url });
    try {
      const effective = await runtime.resolveEffectiveConfig({ accountId: 1 });
      expect(effective.entries.find((e) => e.key === "integration.google.temperature")?.value).toBe(0.2);
      expect(effective.entries.find((e) => e.key === "integration.google.model")?.origin).toMatchObject({ table: "integration_type_settings" });
      const saved = await runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: { model: "gemini-2.5-pro", max_tokens: 4096, api_key: "x" } });
      expect(saved.config).toEqual({ model: "gemini-2.5-pro", max_tokens: 4096 });
      await expect(runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: { size: "1024x1024" } })).rejects.toThrow(/size is not an override field of google/);
      await expect(runtime.saveIntegrationOverride({ accountId: 2, integrationType: "googel", config: {} })).rejects.toThrow(/did you mean `google`/);
      await expect(runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: { model: "gpt-4.1" } })).rejects.toThrow(/does not fit google/);
      // A declared type's override meets the same zod declaration as account files (issue #8).
      await expect(runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: { max_tokens: 2_000_000 } })).rejects.toThrow(/max_tokens is invalid/);
      await expect(runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: { model: "gemini\n::error::x" } })).rejects.toThrow(/model is invalid/);
      await expect(
        runtime.saveIntegrationOverride({ accountId: 2, integrationType: "google", config: JSON.parse('{"__proto__":{"model":"gemini-2.5-pro"}}') }),
      ).rejects.toThrow(/__proto__/);
    } finally {
      await runtime.close();
    }
  }, 180_000);

  it("refuses an override of an integration nobody declared, at its file:line", async () => {
    ws.edit("accounts/acme.yaml", (t) => t.replace("  google: { temperature: 0.2 }", "  mistral: { temperature: 0.2 }"));
    const validated = await ws.cli(["validate"], { env: { GOOGLE_API_KEY: GOOGLE_KEY } });
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/config\/accounts\/acme\.yaml:\d+:\d+: error: mistral is not an integration type.*\[account\.unknown-integration\]/);
    ws.edit("accounts/acme.yaml", (t) => t.replace("  mistral: { temperature: 0.2 }", "  google: { temperature: 0.2 }"));
  }, 60_000);
});
