import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { diagnostic, type Diagnostic } from "../../src/domain/diagnostic.js";
import { ANNOTATIONS_PER_REQUEST, publishCheckRun, toAnnotations } from "../../src/github/check.js";
import { gitHubClientFromEnv } from "../../src/github/client.js";
import { ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_check0test0token0QwErTyUiOpAsDfGhJk";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const fake = new FakeGitHub(TOKEN);
const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/config", GITHUB_API_URL: fake.url, GITHUB_SHA: SHA });

beforeAll(async () => void (await fake.start()));
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const unknownFields = (n: number): Diagnostic[] =>
  Array.from({ length: n }, (_, i) =>
    diagnostic("error", "schema.unknown-field", `unknown field \`f${i}\``, { file: "config/models/bulk.yaml", line: 11 + i, col: 5 }),
  );

describe("toAnnotations", () => {
  it("maps a diagnostic to a one-line annotation at its file, line and column", () => {
    const [error, warning] = toAnnotations([
      diagnostic("warning", "deprecated.field" as never, "reference_id is deprecated", { file: "config/models/openai.yaml", line: 30 }),
      diagnostic("error", "schema.unknown-field", "unknown field `prize`", { file: "config/credits.yaml", line: 7, col: 5 }),
    ]);
    expect(error).toEqual({
      path: "config/credits.yaml",
      start_line: 7,
      end_line: 7,
      start_column: 5,
      end_column: 5,
      annotation_level: "failure",
      message: "unknown field `prize`",
      title: "schema.unknown-field",
    });
    expect(warning).toEqual({
      path: "config/models/openai.yaml",
      start_line: 30,
      end_line: 30,
      annotation_level: "warning",
      message: "reference_id is deprecated",
      title: "deprecated.field",
    });
  });

  it("leaves out diagnostics that name no file (they go in the summary)", () => {
    expect(toAnnotations([diagnostic("error", "db.unreachable", "no database")])).toEqual([]);
  });
});

describe("publishCheckRun", () => {
  const publish = (diagnostics: Diagnostic[]) =>
    publishCheckRun({ ...gitHubClientFromEnv(env()), sha: SHA, name: "cfgsync validate", diagnostics });

  it("sends 120 annotations in batches of at most 50, completing the run with the last batch", async () => {
    const result = await publish(unknownFields(120));
    expect(result).toMatchObject({ conclusion: "failure", annotations: 120 });
    const calls = fake.requests.map((r) => ({
      call: `${r.method} ${r.path}`,
      annotations: (r.body as { output: { annotations: unknown[] } }).output.annotations.length,
      status: (r.body as { status?: string }).status,
      conclusion: (r.body as { conclusion?: string }).conclusion,
    }));
    const id = fake.checkRuns[0]!.id;
    expect(calls).toEqual([
      { call: "POST /repos/acme/config/check-runs", annotations: 50, status: "in_progress", conclusion: undefined },
      { call: `PATCH /repos/acme/config/check-runs/${id}`, annotations: 50, status: undefined, conclusion: undefined },
      { call: `PATCH /repos/acme/config/check-runs/${id}`, annotations: 20, status: "completed", conclusion: "failure" },
    ]);
    expect(ANNOTATIONS_PER_REQUEST).toBe(50);
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ head_sha: SHA, name: "cfgsync validate", status: "completed", conclusion: "failure" });
    expect(run.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => 11 + i));
  });

  it("creates a completed run in one request when everything fits", async () => {
    const result = await publish([diagnostic("warning", "deprecated.field" as never, "deprecated", { file: "config/a.yaml", line: 2 })]);
    expect(result.conclusion).toBe("success");
    expect(fake.requests).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success", output: { title: "valid, 1 warning(s)" } });
  });
});

describe("cfgsync github check", () => {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-gh-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(cwd: string, extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
    return runCli(["github", "check"], { cwd, env: { ...env(), ...extraEnv }, timeoutMs: 30_000 });
  }

  /** A copy of the sample config/, optionally with a model carrying `unknown` unknown fields. */
  function configRepo(name: string, unknown = 0): string {
    const repo = join(dir, name);
    cpSync(join(ROOT, "config"), join(repo, "config"), { recursive: true });
    if (unknown > 0) {
      const lines = ["apiVersion: cfgsync/v1", "kind: ModelCatalog", "provider: openai", "models:", "  - model_id: bulk-x"];
      lines.push("    display_name: X", "    model_type: text", "    input_token_rate: 1", "    output_token_rate: 2", "    is_active: false");
      for (let i = 0; i < unknown; i++) lines.push(`    unknown_field_${i}: ${i}`);
      writeFileSync(join(repo, "config", "models", "zz-bulk.yaml"), lines.join("\n") + "\n");
    }
    return repo;
  }

  it("reports the valid sample config as a successful check run, exit 0", async () => {
    const result = await check(configRepo("valid"));
    expect(result.stderr).not.toContain("Error");
    expect(result.code).toBe(0);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: SHA, status: "completed", conclusion: "success" });
    expect(result.stdout.trim()).toBe(fake.checkRuns[0]!.html_url);
  });

  it("turns 120 diagnostics into 120 annotations, at most 50 per request, and exits 1", async () => {
    const result = await check(configRepo("invalid", 120));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("config/models/zz-bulk.yaml:11:5: error: unknown field");
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.annotations).toHaveLength(120);
    expect(run.annotations[0]).toMatchObject({ path: "config/models/zz-bulk.yaml", start_line: 11, annotation_level: "failure" });
    const sizes = fake.requests.map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes).toEqual([50, 50, 20]);
  });

  it("completes the check run even when a later annotation batch fails, then reports the failure", async () => {
    fake.failWith({ status: 502, match: /^PATCH /, times: 1 });
    const result = await check(configRepo("batch-fails", 120));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("GitHub answered 502 while updating check run");
    const run = fake.checkRuns[0]!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.summary).toMatch(/^Only 50 of 120 annotations could be attached/);
  });

  it("attaches the check run to the pull request's head commit on pull_request events, not the merge commit", async () => {
    const event = join(dir, "event.json");
    const head = "f".repeat(40);
    writeFileSync(event, JSON.stringify({ pull_request: { number: 3, head: { sha: head } } }));
    const result = await check(configRepo("pr-event"), { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event });
    expect(result.code, result.stderr).toBe(0);
    expect(fake.checkRuns[0]!.head_sha).toBe(head);
    expect(SHA).not.toBe(head);
  });

  it("needs GITHUB_SHA", async () => {
    const result = await check(configRepo("no-sha"), { GITHUB_SHA: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("GITHUB_SHA is not set");
    expect(result.stderr).not.toContain("    at ");
    expect(fake.requests).toHaveLength(0);
  });

  it("a 403 is a clean error naming the checks permission, without the token", async () => {
    fake.failWith({ status: 403, body: { message: "Resource not accessible by integration" } });
    const result = await check(configRepo("forbidden"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("GitHub refused creating a check run in acme/config (403");
    expect(result.stderr).toContain("checks: write");
    expect(result.stderr).not.toContain("    at ");
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it("fails cleanly without GITHUB_TOKEN", async () => {
    const result = await check(configRepo("no-token"), { GITHUB_TOKEN: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: GITHUB_TOKEN is not set/);
    expect(result.stderr).not.toContain("    at ");
  });
});
