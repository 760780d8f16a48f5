import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { createAjv } from "../../src/schema/ajv.js";
import { allJsonSchemas } from "../../src/schema/json-schema.js";

const committed = (file: string) => readFileSync(join(ROOT, "schemas", file), "utf8");

describe("JSON Schemas generated from the zod schemas", () => {
  it("the committed schemas/ are exactly what the zod schemas generate", () => {
    for (const [file, content] of allJsonSchemas()) expect(committed(file), file).toBe(content);
  });

  it("`cfgsync schema --check` passes on the committed schemas", async () => {
    const r = await runCli(["schema", "--check"], { timeoutMs: 20_000 });
    expect(r.stdout + r.stderr).toContain("schemas are current");
    expect(r.code).toBe(0);
  });

  it("`cfgsync schema --check` names a stale file and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-schemas-"));
    try {
      expect((await runCli(["schema", "--out-dir", dir], { timeoutMs: 20_000 })).code).toBe(0);
      writeFileSync(join(dir, "policy.schema.json"), "{}\n");
      const r = await runCli(["schema", "--check", "--out-dir", dir], { timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("stale: policy.schema.json");
      expect(r.stdout).not.toContain("model-catalog.schema.json");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the ModelCatalog schema is strict: it accepts a model and rejects an unknown field", () => {
    const schema = JSON.parse(committed("model-catalog.schema.json")) as Record<string, unknown>;
    expect(Object.keys(schema.properties as object)).toEqual(["apiVersion", "kind", "provider", "models"]);
    const validate = createAjv().compile(schema);
    const doc = {
      apiVersion: "cfgsync/v1",
      kind: "ModelCatalog",
      provider: "openai",
      models: [{ model_id: "dall-e-3", display_name: "DALL-E 3", model_type: "image", cost_per_image: 0.04 }],
    };
    expect(validate(doc)).toBe(true);
    const typo = structuredClone(doc);
    (typo.models[0] as Record<string, unknown>).cost_per_imag = 0.04;
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: "additionalProperties", params: { additionalProperty: "cost_per_imag" } });
  });

  it("every sample file points yaml-language-server at its kind's schema by a correct relative path", () => {
    const files = [
      ["config/models/openai.yaml", "../../schemas/model-catalog.schema.json"],
      ["config/accounts/acme.yaml", "../../schemas/account.schema.json"],
      ["config/integrations.yaml", "../schemas/integration-settings.schema.json"],
      ["config/credits.yaml", "../schemas/credit-costs.schema.json"],
      ["config/policies.yaml", "../schemas/policy.schema.json"],
      ["config/settings-schemas.yaml", "../schemas/settings-schemas.schema.json"],
    ] as const;
    for (const [file, schema] of files) {
      const first = readFileSync(join(ROOT, file), "utf8").split("\n")[0];
      expect(first).toBe(`# yaml-language-server: $schema=${schema}`);
      expect(() => readFileSync(join(ROOT, file, "..", schema))).not.toThrow();
    }
  });
});
