import { readdirSync, writeFileSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import { renderReport, validationReport } from "../../src/config/report.js";

const CORPUS = join(ROOT, "test/fixtures/malformed");
const FIXTURES = readdirSync(CORPUS).sort();

/** Every fake credential written in the corpus: none may ever be printed back. */
const SECRETS = [
  "sk-proj-FAKE0000FAKE1111FAKE2222FAKE3333abcd",
  "sk-ant-api03-FAKEfakeFAKEfakeFAKEfake0123456789",
  "sk-FAKEaaaaBBBBccccDDDDeeee0123",
  "q8Zr4Lx2Vn7Tp0Ks9Wd3Hy6Bm1Fc5Jg",
];

/** What each fixture must be rejected for: a code and the file:line it points at. */
const EXPECTED: Record<string, { code: string; at: string }> = {
  "api-key-in-account": { code: "secrets.api-key-in-account", at: "accounts/acme.yaml:7" },
  "bad-date": { code: "schema.format", at: "models/openai.yaml:12" },
  "bad-decimal": { code: "schema.format", at: "models/openai.yaml:8" },
  "bad-enum": { code: "schema.enum", at: "models/openai.yaml:7" },
  "bad-image-size": { code: "schema.format", at: "integrations.yaml:4" },
  "billion-laughs": { code: "yaml.alias-bomb", at: "accounts/acme.yaml:" },
  "constructor-key": { code: "yaml.forbidden-key", at: "accounts/acme.yaml:6" },
  "cross-account-file-name": { code: "account.file-name", at: "accounts/acme.yaml:3" },
  "cross-account-unknown-model": { code: "integration.unknown-model", at: "accounts/acme.yaml:5" },
  "cross-default-wrong-type": { code: "integration.model-type", at: "integrations.yaml:5" },
  "cross-duplicate-model": { code: "catalog.duplicate-model", at: "models/openai.yaml:5" },
  "cross-max-tokens-over-model-limit": { code: "integration.max-tokens", at: "integrations.yaml:4" },
  "cross-negative-margin": { code: "policy.margin", at: "credits.yaml:8" },
  "cross-provider-mismatch": { code: "catalog.provider-mismatch", at: "models/openai.yaml:16" },
  "cross-two-defaults": { code: "catalog.many-defaults", at: "models/openai.yaml:" },
  "cross-two-integration-settings": { code: "documents.duplicate", at: "more-integrations.yaml:1" },
  "cross-unknown-default-model": { code: "integration.unknown-model", at: "integrations.yaml:4" },
  "custom-tag-binary": { code: "yaml.custom-tag", at: "models/openai.yaml:12" },
  "custom-tag-js-function": { code: "yaml.custom-tag", at: "models/openai.yaml:12" },
  "custom-tag-local": { code: "yaml.custom-tag", at: "integrations.yaml:4" },
  "deep-nesting": { code: "yaml.too-deep", at: "accounts/acme.yaml:5" },
  "deep-nesting-block": { code: "yaml.too-deep", at: "accounts/acme.yaml:" },
  "duplicate-key": { code: "yaml.duplicate-key", at: "models/openai.yaml:12" },
  "high-entropy-token": { code: "secrets.plaintext", at: "accounts/acme.yaml:5" },
  "invalid-utf8": { code: "file.invalid-utf8", at: "models/openai.yaml:12" },
  "missing-kind": { code: "document.missing-kind", at: "policies.yaml:1" },
  "missing-required-field": { code: "schema.missing-field", at: "models/openai.yaml:5" },
  "not-a-mapping": { code: "document.not-a-mapping", at: "policies.yaml:1" },
  "plaintext-anthropic-key-in-comment": { code: "secrets.plaintext", at: "integrations.yaml:5" },
  "plaintext-key-in-broken-yaml": { code: "secrets.plaintext", at: "integrations.yaml:4" },
  "plaintext-openai-key": { code: "secrets.plaintext", at: "integrations.yaml:5" },
  "proto-key": { code: "yaml.forbidden-key", at: "accounts/acme.yaml:5" },
  "removed-field": { code: "schema.removed-field", at: "integrations.yaml:7" },
  "second-document-bad": { code: "schema.range", at: "credits.yaml:11" },
  "syntax-bad-indentation": { code: "yaml.syntax", at: "models/openai.yaml:" },
  "syntax-tab-indent": { code: "yaml.syntax", at: "credits.yaml:4" },
  "syntax-unclosed-flow": { code: "yaml.syntax", at: "models/openai.yaml:" },
  "unknown-field-typo": { code: "schema.unknown-field", at: "models/openai.yaml:8" },
  "unknown-kind": { code: "document.unknown-kind", at: "models/openai.yaml:2" },
  "wrong-api-version": { code: "document.api-version", at: "credits.yaml:1" },
  "wrong-type": { code: "schema.type", at: "models/openai.yaml:11" },
};

/** What `cfgsync validate --config-dir DIR` prints for a fixture, computed in-process (the same loader and report). */
async function validateInProcess(dir: string): Promise<{ valid: boolean; output: string }> {
  const report = validationReport((await loadConfig(dir, { cwd: ROOT })).diagnostics);
  return { valid: report.valid, output: renderReport(report, "text", dir) };
}

function expectRejected(fixture: string, dir: string, output: string): void {
  const expected = EXPECTED[fixture]!;
  const line = output.split("\n").find((l) => l.includes(`[${expected.code}]`) && l.startsWith(`${dir}/${expected.at}`));
  expect(line, output).toBeDefined();
  expect(line).toMatch(new RegExp(`^${dir}/[\\w./-]+\\.yaml:\\d+:\\d+: error: `));
  for (const secret of SECRETS) expect(output).not.toContain(secret);
}

/** A handful that cover each layer (YAML safety, encoding, schema, secrets, cross-file) also go through the real CLI. */
const THROUGH_CLI = ["billion-laughs", "invalid-utf8", "plaintext-openai-key", "unknown-field-typo", "cross-negative-margin"];

describe("malformed corpus", () => {
  it("has at least 25 fixtures, each with an expectation", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(25);
    expect(FIXTURES.filter((f) => !(f in EXPECTED))).toEqual([]);
    expect(THROUGH_CLI.filter((f) => !FIXTURES.includes(f))).toEqual([]);
  });

  it.each(FIXTURES)("%s is rejected with file:line and no secret", async (fixture) => {
    const dir = `test/fixtures/malformed/${fixture}`;
    const { valid, output } = await validateInProcess(dir);
    expect(valid, output).toBe(false);
    expectRejected(fixture, dir, output);
  });

  it.each(THROUGH_CLI)("%s through the CLI: exit 1, file:line, no stack trace, no secret", async (fixture) => {
    const dir = `test/fixtures/malformed/${fixture}`;
    const r = await runCli(["validate", "--config-dir", dir], { timeoutMs: 20_000 });
    const output = r.stdout + r.stderr;
    expect(r.code, output).toBe(1);
    expectRejected(fixture, dir, output);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain("internal error");
  });

  it("a file over the size limit is rejected without being parsed", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "cfgsync-big-"));
    try {
      mkdirSync(join(cwd, "config"));
      writeFileSync(join(cwd, "config", "huge.yaml"), "a: " + "x".repeat(6 * 1024 * 1024) + "\n");
      const r = await runCli(["validate"], { cwd, timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^config\/huge\.yaml:1:1: error: file is \d+ bytes; configuration files are limited to 5242880 bytes \[file\.too-large\]$/m);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("a missing configuration directory is a clear error", async () => {
    const r = await runCli(["validate", "--config-dir", "does/not/exist"], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("configuration directory does/not/exist does not exist");
  });
});
