import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createRuntime } from "../../src/runtime/index.js";
import { runCli } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";
import { gitInit } from "../gitops/git-repo.js";
import { logLines, startCli, type RunningCli } from "../gitops/running-cli.js";

/**
 * Scheduled prices (issue #14) through the real CLI: invisible today, listed
 * by plan, applied by `plan --at`/`apply` once due (a fake clock:
 * CFGSYNC_TEST_NOW starts the commands' clock at an instant), by `sync` as
 * it comes due, and refused now when a future state breaks a policy.
 */

const DUE = "2027-01-01T00:00:00Z";
const BEFORE_DUE = "2026-12-31T23:59:00Z";
const AFTER_DUE = "2027-01-01T00:00:05Z";

/** gpt-5.2's output rate rises 14 -> 15 at `due`; gpt-4o's output limit drops 16384 -> 10000 with it. */
const scheduleGpt = (due: string, rate = "15") => (text: string) =>
  text
    .replace(/(model_id: gpt-5\.2\n[\s\S]*?output_token_rate: 14\.00\n)/, `$1    scheduled:\n      - effective_from: ${due}\n        output_token_rate: ${rate}\n`)
    .replace(/(model_id: gpt-4o\n[\s\S]*?max_output_tokens: 16384\n)/, `$1    scheduled:\n      - effective_from: ${due}\n        max_output_tokens: 10000\n`);

interface PlanJson {
  summary: Record<string, number>;
  changes: { address: string; fields: { name: string; before: unknown; after: unknown }[] }[];
  at?: string;
  scheduled?: {
    as_of: string;
    steps: { effective_from: string; due_in_seconds: number; changes: { address: string; field: string; before: unknown; after: unknown; source: { file: string; line: number } }[]; margins: { operation_type: string; model_id: string }[] }[];
  };
}

describe.each(DIALECTS)("scheduled prices through the CLI on %s", (dialect) => {
  let ws: Workspace;
  let sync: RunningCli | undefined;
  let workdir: string | undefined;
  const row = async (model: string) =>
    (await ws.db.query<{ r: string | number; m: number }>(`SELECT output_token_rate AS r, max_output_tokens AS m FROM ai_model_config WHERE model_id = '${model}'`))[0]!;
  const at = (now: string) => ({ env: { CFGSYNC_TEST_NOW: now } });

  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
  });
  afterEach(async () => {
    sync?.kill();
    sync = undefined;
    if (workdir) rmSync(workdir, { recursive: true, force: true });
    await ws?.dispose();
  });

  test("invisible today, listed by plan, shown by plan --at, applied by apply once due; runtime and resolve read what is applied", { timeout: 120_000 }, async () => {
    ws.edit("models/openai.yaml", scheduleGpt(DUE));
    const applied = await ws.cli(["apply", "--auto-approve"], at(BEFORE_DUE));
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(Number((await row("gpt-5.2")).r)).toBe(14);
    expect((await row("gpt-4o")).m).toBe(16384);

    // Today's plan: nothing to do, and what is coming, with when and its margin impact (text, and JSON saved).
    const [text, resolved] = await Promise.all([ws.cli(["plan", "--out", "today.json"], at(BEFORE_DUE)), ws.cli(["resolve", "--account", "acme", "--json"])]);
    expect(text.code, text.stderr).toBe(0);
    expect(resolved.code, resolved.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(ws.dir, "today.json"), "utf8")) as PlanJson;
    expect(json.summary).toMatchObject({ create: 0, update: 0 });
    const step = json.scheduled!.steps[0]!;
    expect(step.effective_from).toBe(DUE);
    expect(step.due_in_seconds).toBeGreaterThan(30);
    expect(step.due_in_seconds).toBeLessThanOrEqual(60);
    expect(step.changes).toContainEqual({ address: "model/gpt-5.2", field: "output_token_rate", before: "14", after: "15", source: { file: "config/models/openai.yaml", line: expect.any(Number) } });
    expect(step.changes).toContainEqual(expect.objectContaining({ address: "model/gpt-4o", field: "max_output_tokens", before: 16384, after: 10000 }));
    expect(step.margins).toContainEqual(expect.objectContaining({ operation_type: "linking", model_id: "gpt-5.2" }));
    expect(text.stdout).toMatch(/^Scheduled {2}\(not yet due as of 2026-12-31 23:59(:\d\d)? UTC;/m);
    expect(text.stdout).toMatch(/^ {2}2027-01-01 00:00 UTC \(in (1 minute|\d+ seconds)\)$/m);
    expect(text.stdout).toMatch(/~ model\/gpt-5\.2 output_token_rate: "14" -> "15" {2}\(config\/models\/openai\.yaml:\d+\)/);
    expect(text.stdout).toMatch(/linking x gpt-5\.2: cost \$14\.00 -> \$15\.00, charge \$16\.67, margin 16\.00 % -> 10\.00 %/);
    expect(text.stdout).toContain("No changes.");

    // Before it is due the runtime enforces the applied limit (16384), and resolve reads no scheduled value.
    const runtime = await createRuntime({ databaseUrl: ws.db.url });
    try {
      await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { model: "gpt-4o", max_tokens: 12000 } })).resolves.toBeTruthy();
    } finally {
      await runtime.close();
    }

    // As of the instant: the change is planned; such a plan is shown, never applied; apply has no --at.
    const future = await ws.cli(["plan", "--at", DUE, "--out", "future.json"], at(BEFORE_DUE));
    expect(future.stdout).toContain(`Planned as of ${DUE} (--at)`);
    const futureJson = JSON.parse(readFileSync(join(ws.dir, "future.json"), "utf8")) as PlanJson;
    expect(futureJson.at).toBe(DUE);
    expect(futureJson.summary.update).toBe(2);
    expect(futureJson.scheduled).toBeUndefined();
    const refused = await ws.cli(["apply", "future.json"], at(BEFORE_DUE));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("[plan.at-refused]");
    expect(Number((await row("gpt-5.2")).r)).toBe(14);

    // Once due, apply applies it.
    const due = await ws.cli(["apply", "--auto-approve", "--json"], at(AFTER_DUE));
    expect(due.code, due.stdout + due.stderr).toBe(0);
    expect(JSON.parse(due.stdout).summary).toMatchObject({ update: 2 });
    expect(Number((await row("gpt-5.2")).r)).toBe(15);
    expect((await row("gpt-4o")).m).toBe(10000);

    // Now the runtime enforces the applied 10000, and resolve is what it was.
    const after = await createRuntime({ databaseUrl: ws.db.url });
    try {
      await expect(after.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { model: "gpt-4o", max_tokens: 12000 } })).rejects.toThrow(/max_tokens/);
    } finally {
      await after.close();
    }
    expect((await ws.cli(["resolve", "--account", "acme", "--json"])).stdout).toBe(resolved.stdout);
  });

  test("sync applies an entry as it comes due, within one interval of a fake clock", { timeout: 120_000 }, async () => {
    // The clock starts 2 s before the entry and runs on: the loop sees it come due.
    ws.edit("models/openai.yaml", scheduleGpt("2027-01-01T00:00:02Z"));
    gitInit(ws.dir);
    workdir = mkdtempSync(join(tmpdir(), "cfgsync-sched-wd-"));
    rmSync(workdir, { recursive: true });
    sync = startCli(["sync", "--repo", ws.dir, "--ref", "main", "--workdir", workdir, "--interval", "500ms"], {
      cwd: ws.dir,
      env: { DATABASE_URL: ws.db.url, CFGSYNC_TEST_NOW: "2027-01-01T00:00:00Z" },
    });
    const first = logLines(await sync.waitFor(/"msg":"applied"/)).find((l) => l.msg === "applied")!;
    expect(Number((await row("gpt-5.2")).r)).toBe(14);
    const from = sync.mark();
    const started = Date.now();
    const due = logLines(await sync.waitFor(/"msg":"applied"/, { from, timeoutMs: 30_000 })).find((l) => l.msg === "applied")!;
    expect(due).toMatchObject({ commit: first.commit, summary: { update: 2, create: 0 } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(Number((await row("gpt-5.2")).r)).toBe(15);
    expect((await sync.stop("SIGTERM")).code).toBe(0);
  });

  test("a future entry that breaks a margin floor fails the plan now, naming the entry's file:line and date", { timeout: 60_000 }, async () => {
    // 14 -> 16 leaves linking (charge $16.67 per 1M tokens) a 4 % margin, below its 10 % floor.
    ws.edit("models/openai.yaml", scheduleGpt(DUE, "16"));
    const plan = await ws.cli(["plan"], at(BEFORE_DUE));
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(
      /config\/models\/openai\.yaml:\d+:\d+: error: from 2027-01-01T00:00:00Z \(scheduled\): linking on gpt-5\.2: margin 4\.00 % is below the linking floor of 10 % .*\[policy\.margin\]/,
    );
    expect(await ws.db.query("SELECT * FROM ai_model_config")).toEqual([]);
  });
});

test("validate: scheduled entries are checked at their file:line", { timeout: 60_000 }, async () => {
  const ws = await createWorkspace("sqlite");
  try {
    ws.edit("credits.yaml", (t) =>
      t.replace(
        /(operation_type: clustering\n[\s\S]*?price_per_credit_usd: 0\.0100\n)/,
        "$1    scheduled:\n" +
          "      - effective_from: 2027-03-01T00:00:00Z\n        price_per_credit_usd: 0.012\n" +
          "      - effective_from: 2027-02-01T00:00:00Z\n        price_per_credit_usd: 0.01000000001\n" +
          "      - effective_from: 2027-04-01\n        tokens_per_credit: 100\n" +
          "      - effective_from: 2027-05-01T00:00:00Z\n        is_active: false\n" +
          "      - effective_from: 2027-06-01T00:00:00Z\n",
      ),
    );
    const r = await runCli(["validate"], { cwd: ws.dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    const at = (code: string) => lines.find((l) => l.includes(`[${code}]`)) ?? "";
    expect(at("schema.format")).toMatch(/^config\/credits\.yaml:\d+:\d+: error: `effective_from` in operation clustering must be a timestamp with a zone such as 2027-01-01T00:00:00Z/);
    expect(at("schema.unknown-field")).toMatch(/unknown field `is_active` in operation clustering/);
    // The schema errors stop the document; the rules are checked once it is schema-valid.
    ws.edit("credits.yaml", (t) => t.replace("effective_from: 2027-04-01\n", "effective_from: 2027-04-01T00:00:00+02:00\n").replace("        is_active: false\n", "        min_credits: 2\n"));
    const rules = await runCli(["validate"], { cwd: ws.dir });
    const ruleLines = rules.stdout.trim().split("\n");
    const rule = (code: string) => ruleLines.find((l) => l.includes(`[${code}]`)) ?? "";
    expect(rule("schedule.order")).toMatch(/^config\/credits\.yaml:\d+:\d+: error: scheduled entry 2027-02-01T00:00:00Z of credit\/clustering comes before the entry above it/);
    expect(rule("money.not-exact")).toMatch(/^config\/credits\.yaml:\d+:\d+: error: from 2027-02-01T00:00:00Z \(scheduled\): price_per_credit_usd of credit\/clustering is 0\.01000000001/);
    expect(rule("schedule.no-change")).toMatch(/warning: scheduled entry 2027-05-01T00:00:00Z of credit\/clustering sets min_credits to 2, which it already is then/);
    expect(rule("schedule.empty-entry")).toMatch(/scheduled entry 2027-06-01T00:00:00Z of credit\/clustering changes no field/);
    expect(rules.stdout).toMatch(/is invalid: 3 errors, 1 warning/);
    // apply applies what is due now: it has no --at.
    expect((await runCli(["apply", "--auto-approve", "--at", "2027-01-01T00:00:00Z"], { cwd: ws.dir })).code).toBe(64);
  } finally {
    await ws.dispose();
  }
});
