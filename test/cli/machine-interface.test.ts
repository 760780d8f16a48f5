import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ROOT, runCli, runCliInTerminal } from "../helpers/cli.js";
import { wantsColor } from "../../src/render/style.js";
import { ExitCode } from "../../src/domain/codes.js";

/* The CLI as scripts and people meet it: exit codes, --json errors, help, version, colour. No database needed. */

let dir: string;
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, "t.db")}`, ...env } });
const ESC = "\x1b[";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cfgsync-mi-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("usage errors exit 64, never 2 (2 means changes)", () => {
  test.each([
    [["plan", "--detailed-exitcode", "--bogus"], "usage.unknown-flag", /--bogus/],
    [["plna"], "usage.unknown-command", /Did you mean `cfgsync plan`\?/],
    [["apply", "--lock-timeout", "soon"], "usage.invalid-flag", /lock-timeout/],
    [["validate", "--format", "yaml"], "usage.invalid-flag", /yaml/],
    [["resolve"], "usage.invalid-flag", /account/],
    [["github", "comment"], "usage.invalid-flag", /pr/],
  ])("cfgsync %j -> 64 [%s]", async (args, code, message) => {
    const r = await cli(args);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });
});

describe("--json: errors are JSON on stdout with the same exit code", () => {
  test("a usage error", async () => {
    const r = await cli(["plan", "--json", "--bogus"]);
    expect(r.code).toBe(64);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: "usage.unknown-flag", message: expect.stringContaining("--bogus"), hint: expect.any(String), doc: "README.md#command-line" },
    });
  });

  test("an unknown command", async () => {
    const r = await cli(["plna", "--json"]);
    expect(r.code).toBe(64);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "usage.unknown-command", hint: expect.stringContaining("cfgsync plan") });
  });

  test("invalid configuration: the diagnostics come along, file:line:col, exit 1", async () => {
    const bad = mkdtempSync(join(tmpdir(), "cfgsync-mi-bad-"));
    try {
      cpSync(join(ROOT, "config"), join(bad, "config"), { recursive: true });
      const file = join(bad, "config", "credits.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("unit:", "unti:"));
      for (const command of ["plan", "apply", "resolve --account acme"]) {
        const r = await runCli([...command.split(" "), "--json"], { cwd: bad, env: { DATABASE_URL: `file:${join(bad, "t.db")}` } });
        expect(r.code, command).toBe(1);
        const { error } = JSON.parse(r.stdout);
        expect(error).toMatchObject({ code: "config.invalid", doc: "README.md#validate" });
        expect(error.diagnostics[0]).toMatchObject({ file: "config/credits.yaml", line: expect.any(Number), col: expect.any(Number), severity: "error" });
        expect(r.stderr).toBe("");
      }
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  test("the same error in text: one diagnostic line format, a hint, on stderr", async () => {
    const r = await cli(["plan", "--config-dir", "nowhere"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: the configuration in nowhere is invalid \[config\.invalid\]\n  .*error: .* \[config\.missing-directory\]\nHint: /);
  });
});

describe("help, version, completion", () => {
  test("`help plan`, `plan -h` and `plan --help` show the plan command's help with the exit code table", async () => {
    const outputs = await Promise.all([cli(["help", "plan"]), cli(["plan", "-h"]), cli(["plan", "--help"])]);
    for (const r of outputs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("$ cfgsync plan");
      expect(r.stdout).toContain("--detailed-exitcode");
      expect(r.stdout).toMatch(/EXIT CODES\n\s+0 .*\n\s+1 .*\n\s+2 .*changes.*\n\s+64 .*usage.*\n\s+75 /);
    }
    const root = await cli(["--help"]);
    expect(root.stdout).toContain("EXIT CODES");
  });

  test("`version`, `--version` and `-v` print the version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const args of [["version"], ["--version"], ["-v"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`cfgsync/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
    }
  });

  test("shell completion: `autocomplete script bash` prints a completion script", async () => {
    const r = await cli(["autocomplete", "script", "bash"], { HOME: dir, XDG_CACHE_HOME: join(dir, "cache") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("cfgsync");
  });
});

describe("colour", () => {
  test.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ TERM: "dumb" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
  ])("env %j, tty %s -> colour %s", (env, isTTY, expected) => {
    expect(wantsColor({ isTTY }, env)).toBe(expected);
  });

  test("through the CLI on a terminal: colour by default, none for NO_COLOR, FORCE_COLOR=0 or TERM=dumb", async () => {
    const bad = { DATABASE_URL: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined };
    const run = (env: Record<string, string | undefined>) => runCliInTerminal(["validate", "--config-dir", "nowhere"], { cwd: dir, env: { ...bad, ...env } });
    const [plain, noColor, force0, dumb] = await Promise.all([run({}), run({ NO_COLOR: "1" }), run({ FORCE_COLOR: "0" }), run({ TERM: "dumb" })]);
    expect(plain.stdout).toContain(ESC);
    for (const r of [noColor, force0, dumb]) {
      expect(r.stdout).toContain("config.missing-directory");
      expect(r.stdout).not.toContain(ESC);
    }
  });
});
