import { describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/diagnostic.js";
import { assertPlanHasNoErrors, changeList, decideCycle, failureLogEntry, outcomeLogEntry } from "../../src/sync/cycle.js";
import { createJsonLogger, redactUrlCredentials } from "../../src/app/log.js";
import type { Plan } from "../../src/plan/types.js";

const summary = (over: Partial<Plan["summary"]> = {}): Plan["summary"] => ({ create: 0, update: 0, delete: 0, drift: 0, unmanaged: 0, ...over });
const last = { commit: "aaa", configDigest: "sha256:c", stateDigest: "sha256:s" };

describe("decideCycle", () => {
  it("skips the apply when the commit is the one synced and the plan is empty", () => {
    expect(decideCycle({ plan: { summary: summary() }, commit: "aaa", last, mode: "apply" })).toBe("in-sync");
  });

  it("applies a new commit even with an empty plan (rows may need adopting; no writes means no revision)", () => {
    expect(decideCycle({ plan: { summary: summary() }, commit: "bbb", last, mode: "apply" })).toBe("apply");
    expect(decideCycle({ plan: { summary: summary() }, commit: "aaa", last: undefined, mode: "apply" })).toBe("apply");
  });

  it("applies changes and drift in apply mode, whatever the commit", () => {
    expect(decideCycle({ plan: { summary: summary({ drift: 1 }) }, commit: "aaa", last, mode: "apply" })).toBe("apply");
    expect(decideCycle({ plan: { summary: summary({ update: 2 }) }, commit: "bbb", last, mode: "apply" })).toBe("apply");
  });

  it("only reports in detect mode", () => {
    expect(decideCycle({ plan: { summary: summary({ drift: 1 }) }, commit: "aaa", last, mode: "detect" })).toBe("report");
    expect(decideCycle({ plan: { summary: summary() }, commit: "bbb", last, mode: "detect" })).toBe("in-sync");
  });

  it("does not count unmanaged rows as something to do", () => {
    expect(decideCycle({ plan: { summary: summary({ unmanaged: 3 }) }, commit: "aaa", last, mode: "apply" })).toBe("in-sync");
  });
});

describe("sync log entries", () => {
  it("reports drift in detect mode with addresses and field names, never values", () => {
    const plan = {
      changes: [
        { address: "model/dall-e-3", kind: "model", action: "drift", fields: [{ name: "cost_per_image", before: "0.040", after: "0.5" }] },
        { address: "integration/global", kind: "integration", action: "update", fields: [{ name: "openai_api_key", sensitive: true, changed: true }] },
        { address: "model/x", kind: "model", action: "unmanaged", fields: [] },
      ],
    } as unknown as Plan;
    const entry = outcomeLogEntry({ status: "out-of-sync", commit: "abc", summary: summary({ drift: 1, update: 1 }), changes: changeList(plan) }, "detect");
    expect(entry.level).toBe("warn");
    expect(entry.msg).toMatch(/drift detected/);
    expect(entry.fields.changes).toEqual([
      { address: "model/dall-e-3", action: "drift", fields: ["cost_per_image"] },
      { address: "integration/global", action: "update", fields: ["openai_api_key"] },
    ]);
    expect(JSON.stringify(entry)).not.toContain("0.5");
  });

  it("logs a user error with its code and diagnostics (file:line), and anything else as internal", () => {
    const err = new UserError("config.invalid", "the configuration in config is invalid", {
      diagnostics: [{ severity: "error", code: "yaml.syntax", message: "bad indentation", file: "config/credits.yaml", line: 4, col: 3 }],
    });
    const entry = failureLogEntry(err, { commit: "abc", failures: 2, retryInMs: 2000 });
    expect(entry).toMatchObject({ level: "error", msg: "the configuration in config is invalid", fields: { code: "config.invalid", commit: "abc", failures: 2, retry_in_ms: 2000 } });
    expect(entry.fields.diagnostics).toEqual([
      { severity: "error", code: "yaml.syntax", message: "bad indentation", file: "config/credits.yaml", line: 4, col: 3, text: "config/credits.yaml:4:3: error: bad indentation [yaml.syntax]" },
    ]);
    expect(failureLogEntry(new TypeError("x is undefined"), { failures: 1 })).toMatchObject({ msg: "internal error: x is undefined", fields: { code: "internal" } });
  });

  it("refuses a plan with errors, carrying its diagnostics", () => {
    expect(() => assertPlanHasNoErrors({ diagnostics: [{ severity: "warning", code: "w" as never, message: "m" }] })).not.toThrow();
    expect(() => assertPlanHasNoErrors({ diagnostics: [{ severity: "error", code: "policy.margin", message: "too thin" }] })).toThrow(/the plan has errors/);
  });
});

describe("JSON logger", () => {
  it("writes one JSON object per line with ts, level, msg and the fields", () => {
    const lines: string[] = [];
    const log = createJsonLogger((l) => lines.push(l), () => new Date("2025-01-02T03:04:05Z"));
    log("info", "in sync", { commit: "abc", summary: { create: 0 } });
    expect(lines).toEqual(['{"ts":"2025-01-02T03:04:05.000Z","level":"info","msg":"in sync","commit":"abc","summary":{"create":0}}\n']);
  });

  it("never prints credentials embedded in a repository URL", () => {
    const lines: string[] = [];
    createJsonLogger((l) => lines.push(l))("error", "cannot fetch from https://bot:ghp_secret123@github.com/a/b.git", { repo: "https://x:y@h/r" });
    expect(lines[0]).not.toMatch(/ghp_secret123|x:y/);
    expect(redactUrlCredentials("fatal: unable to access 'https://u:p@host/r/': 403")).toBe("fatal: unable to access 'https://***@host/r/': 403");
    expect(redactUrlCredentials("git@github.com:org/repo.git")).toBe("git@github.com:org/repo.git");
  });
});
