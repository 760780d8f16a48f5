import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/cli.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  services?: Record<string, { image: string; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { pull_request: { paths: string[] }; push: { branches: string[]; paths: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(join(ROOT, ".github", "workflows", "config.yml"), "utf8")) as Workflow;
const job = (name: string): Job => {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
};
/** The one step whose command contains `command`; fails if there is none. */
const step = (jobName: string, command: string): Step => {
  const matches = job(jobName).steps.filter((s) => s.run?.includes(command));
  expect(matches, `${jobName} runs \`${command}\``).toHaveLength(1);
  return matches[0]!;
};
const indexOf = (jobName: string, command: string) => job(jobName).steps.indexOf(step(jobName, command));

const WATCHED = ["config/**", "schemas/**", "prisma/**", ".github/workflows/config.yml"];

describe(".github/workflows/config.yml", () => {
  it("runs on pull requests and pushes to main that touch config, schemas, prisma or itself", () => {
    expect(workflow.on.pull_request.paths).toEqual(WATCHED);
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.on.push.paths).toEqual(WATCHED);
  });

  it("grants nothing by default; the validate job only reads code, comments and writes checks", () => {
    expect(workflow.permissions).toEqual({});
    expect(job("validate").permissions).toEqual({ contents: "read", "pull-requests": "write", checks: "write" });
    expect(job("apply").permissions).toEqual({ contents: "read" });
  });

  it("validates pull requests: install, schemas current, annotations, tests with PostgreSQL", () => {
    const validate = job("validate");
    expect(validate.if).toContain("pull_request");
    expect(validate.steps[0]?.uses).toMatch(/^actions\/checkout@/);
    const setupNode = validate.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setupNode?.with).toMatchObject({ "node-version": 20, cache: "npm" });
    expect(validate.services?.postgres?.image).toBe("postgres:15");
    expect(validate.env?.CFGSYNC_TEST_PG_URL).toBe("postgresql://postgres:postgres@localhost:5432/postgres");
    const order = ["npm ci", "npx cfgsync schema --check", "npx cfgsync validate --format github", "npm test"].map((c) => indexOf("validate", c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("plans against the target database when the secret is set, else a migrated dry-run database", () => {
    const prepare = step("validate", "npx cfgsync db migrate");
    expect(prepare.if).toBe("env.HAS_TARGET_DATABASE != 'true'");
    expect(job("validate").env?.HAS_TARGET_DATABASE).toContain("secrets.CFGSYNC_DATABASE_URL");
    const plan = step("validate", "npx cfgsync plan --out plan.json");
    expect(plan.env?.DATABASE_URL).toBe("${{ secrets.CFGSYNC_DATABASE_URL || env.DRY_RUN_DATABASE_URL }}");
    expect(indexOf("validate", "npx cfgsync db migrate")).toBeLessThan(indexOf("validate", "plan --out"));
    expect(indexOf("validate", "npm test")).toBeLessThan(indexOf("validate", "plan --out"));
  });

  it("uploads plan.json as an artifact and comments it on the pull request with the job's token", () => {
    const steps = job("validate").steps;
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: "cfgsync-plan", path: "plan.json" });
    const comment = step("validate", "npx cfgsync github comment");
    expect(comment.run).toContain("--pr ${{ github.event.pull_request.number }}");
    expect(comment.run).toContain("--plan plan.json");
    expect(comment.run).toContain("--artifact-name cfgsync-plan");
    expect(comment.env?.GITHUB_TOKEN).toBe("${{ secrets.GITHUB_TOKEN }}");
    // Even a plan with policy errors is posted: these steps run after a failed plan step.
    expect(upload?.if).toContain("!cancelled()");
    expect(comment.if).toContain("!cancelled()");
    expect(steps.indexOf(upload!)).toBeGreaterThan(indexOf("validate", "plan --out"));
    expect(indexOf("validate", "github comment")).toBeGreaterThan(indexOf("validate", "plan --out"));
  });

  it("applies on main in the production environment, serialised and never cancelled mid-way", () => {
    const apply = job("apply");
    expect(apply.if).toContain("push");
    expect(apply.if).toContain("refs/heads/main");
    expect(apply.environment).toBe("production");
    expect(apply.concurrency).toEqual({ group: "cfgsync-apply-production", "cancel-in-progress": false });
    expect(apply.env?.DATABASE_URL).toBe("${{ secrets.CFGSYNC_DATABASE_URL }}");
    const applyStep = step("apply", "npx cfgsync apply --auto-approve");
    for (const key of ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DALLE_API_KEY", "RUNWARE_API_KEY", "BRIA_API_KEY"]) {
      expect(applyStep.env?.[key]).toBe(`\${{ secrets.${key} }}`);
    }
    expect(indexOf("apply", "npm ci")).toBeLessThan(indexOf("apply", "apply --auto-approve"));
  });

  it("never puts a secret on a command line", () => {
    const commands = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
    expect(commands.filter((c) => c.includes("secrets."))).toEqual([]);
  });
});
