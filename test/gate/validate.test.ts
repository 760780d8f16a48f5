import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

/*
 * Issue #8's reproductions that need no database: each one went through
 * validate before, each is now refused at its file and line, through the
 * real CLI. (The database-side ones are in database-suite.ts.)
 */

let dir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, "db.sqlite")}`, ...env } });
const edit = (rel: string, change: (s: string) => string) => {
  const file = join(dir, "config", rel);
  const before = readFileSync(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`edit of ${rel} changed nothing`);
  writeFileSync(file, after);
};
const addSetting = (yaml: string) => (s: string) => s.replace("  content.tone: friendly\n", `  content.tone: friendly\n${yaml}\n`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cfgsync-gate-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The CLI as a user that permissions apply to: the suite may run as root,
 * which reads any file, so then it drops to `nobody` (setpriv).
 */
function asUnprivileged(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (process.getuid?.() !== 0) return cli(args);
  chmodSync(dir, 0o755);
  return new Promise((resolve) => {
    execFile(
      "setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, join(ROOT, "bin", "run.js"), ...args],
      { cwd: dir, env: { ...process.env, NO_COLOR: "1", HOME: dir } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** validate exits 1 with `code` at `file:line`, in text and in GitHub format. */
async function refused(code: string, at: RegExp) {
  const r = await cli(["validate"]);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const line = r.stdout.split("\n").find((l) => l.includes(`[${code}]`));
  expect(line, r.stdout).toMatch(at);
  expect(r.stdout + r.stderr).not.toContain("This is a bug");
  return r;
}

describe("#8 reproductions refused by validate", () => {
  const hidden = "ant-api03-" + "Q".repeat(10) + "abcdefghij0123456789";
  const SECRETS: [string, string, RegExp][] = [
    ["a \\x escape", `  meta: "\\x73k-${hidden}"`, /sk-ant-…/],
    ["a \\u escape", `  api_key_note: "\\u0073k-${hidden}"`, /sk-ant-…/],
    ["a line fold", `  folded: "sk-\\\n    ${hidden}"`, /sk-ant-…/],
    ["a Stripe key", `  stripe: "sk_live_${"a1B2c3D4e5F6g7H8i9J0"}"`, /sk_live_…/],
    ["a GitHub PAT", `  gh: "github_pat_${"A1b2C3d4E5f6G7h8I9j0K1l2"}"`, /github_pat_…/],
    ["a Hugging Face token", `  hf: "hf_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"}"`, /hf_…/],
    ["a Slack webhook", `  slack: "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX"`, /hooks\.slack\.com\/…/],
    ["a JWT", `  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"`, /a JWT/],
    ["a database URL with a password", `  db: "postgresql://app:s3cretPassw0rd@db.internal:5432/prod"`, /postgresql:\/\/user:…@…/],
    ["an AWS key", `  aws: "AKIA${"ABCDEFGHIJKLMNOP"}"`, /AKIA…/],
    ["a Google key", `  google: "AIza${"SyA1234567890abcdefghijklmnopqrstuv"}"`, /AIza…/],
    ["a random value under a key-like name", `  partner_token: "Zq8xLm2Pv7Rt4Kw9Bn3Hc6Jd"`, /`partner_token` holds what looks like a plaintext credential/],
  ];

  test("1. secrets are found after unescaping and folding, by every detector, and never echoed", async () => {
    edit("accounts/acme.yaml", addSetting(SECRETS.map(([, yaml]) => yaml).join("\n")));
    const text = await cli(["validate"]);
    const github = await cli(["validate", "--format", "github"]);
    expect(text.code).toBe(1);
    const lines = text.stdout.split("\n");
    // One setting per line from line 7; the fold takes two.
    SECRETS.forEach(([name, , label], i) => {
      const line = 7 + i + (i > 2 ? 1 : 0);
      const found = lines.find((l) => l.startsWith(`config/accounts/acme.yaml:${line}:`) && l.includes("[secrets.plaintext]"));
      expect(found, `${name} (line ${line}):\n${text.stdout}`).toMatch(label);
    });
    for (const out of [text.stdout, text.stderr, github.stdout, github.stderr]) {
      expect(out).not.toContain(hidden.slice(4));
      for (const secret of ["a1B2c3D4e5F6g7H8i9J0", "A1b2C3d4E5f6G7h8I9j0K1l2", "XXXXXXXXXXXXXXXXXXXX", "s3cretPassw0rd", "ABCDEFGHIJKLMNOP", "dozjgNryP4J3jVmN", "Zq8xLm2Pv7Rt4Kw9"]) {
        expect(out).not.toContain(secret);
      }
    }
  });

  test("2, 3, 4, 6, 7, #12: values no column holds exactly are refused at file:line, naming resource and field", async () => {
    // models/openai.yaml: schema-level (each line its own error).
    edit("models/openai.yaml", (s) =>
      s
        .replace("display_name: GPT-4.1", 'display_name: "a\\eb"') // 4: ESC (line 8)
        .replace("max_input_tokens: 1047576", "max_input_tokens: 2147483648") // 3 (line 12)
        .replace("sort_order: 10\n", "sort_order: 3000000000\n") // 3 (line 18)
        .replace("release_date: 2025-04-14", "release_date: 2025-02-31") // #12 (line 19)
        .replace("display_name: GPT-4o mini", 'display_name: "line\\nbreak"') // 4: newline (line 21)
        .replace("input_token_rate: 0.15", "input_token_rate: '0.04000000001'"), // 2 quoted (line 23)
    );
    // models/anthropic.yaml: money written in numbers no column holds (rule money.not-exact).
    edit("models/anthropic.yaml", (s) =>
      s.replace("input_token_rate: 3.00", "input_token_rate: 1e-20").replace("output_token_rate: 75.00", "output_token_rate: 12345678901.5"),
    );
    // credits.yaml: YAML-level (hex for money). accounts/acme.yaml: .inf and an integer beyond 2^53.
    // credits.yaml: YAML-level: hex for money, NUL and a lone surrogate (no database stores them).
    edit("credits.yaml", (s) =>
      s
        .replace("price_per_credit_usd: 0.0100", "price_per_credit_usd: 0x10")
        .replace("display_name: Keyword clustering", 'display_name: "a\\0b"')
        .replace("display_name: Content generation", 'display_name: "lone \\uD800 surrogate"'),
    );
    edit("accounts/acme.yaml", addSetting("  limits: { max: .inf, min: -.inf, avg: .nan, big: 9007199254740993 }"));
    const r = await cli(["validate"]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain("This is a bug");
    const at = (file: string, line: number, text: RegExp) =>
      expect(r.stdout.split("\n").filter((l) => l.startsWith(`config/${file}:${line}:`)).join("\n"), `${file}:${line}\n${r.stdout}`).toMatch(text);
    at("models/openai.yaml", 8, /display_name/);
    at("models/openai.yaml", 12, /max_input_tokens.*\[schema\.range\]/);
    at("models/openai.yaml", 18, /sort_order.*\[schema\.range\]/);
    at("models/openai.yaml", 19, /release_date/);
    at("models/openai.yaml", 21, /display_name/);
    at("credits.yaml", 9, /NUL character or an unpaired surrogate.*\[yaml\.unstorable-text\]/);
    at("credits.yaml", 15, /NUL character or an unpaired surrogate.*\[yaml\.unstorable-text\]/);
    at("models/openai.yaml", 23, /input_token_rate/);
    at("models/anthropic.yaml", 12, /input_token_rate of model\/claude-3-5-sonnet-20241022 is 1e-20: .*\[money\.not-exact\]/);
    at("models/anthropic.yaml", 26, /output_token_rate of model\/claude-3-opus-20240229 is 12345678901\.5: .*\[money\.not-exact\]/);
    at("credits.yaml", 13, /decimal notation.*\[yaml\.number-notation\]/);
    at("accounts/acme.yaml", 7, /\[yaml\.non-finite-number\]/);
    at("accounts/acme.yaml", 7, /\[yaml\.unsafe-integer\]/);
    expect(r.stdout.match(/\[yaml\.non-finite-number\]/g)).toHaveLength(3);
    // The generated JSON Schema knows calendar dates too (editors flag 2025-02-31).
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "model-catalog.schema.json"), "utf8"));
    const pattern = new RegExp(schema.properties.models.items.properties.release_date.pattern as string);
    expect([pattern.test("2025-02-31"), pattern.test("2024-02-29"), pattern.test("2025-02-29"), pattern.test("2025-04-30")]).toEqual([false, true, false, true]);
  });

  test("5. a model_id with a newline cannot forge a workflow command or reach the terminal", async () => {
    edit("models/openai.yaml", (s) => s.replace("model_id: gpt-4.1", 'model_id: "gpt-4.1\\n::error title=forged::owned\\n::stop-commands::x\\e[2J"'));
    for (const format of ["text", "github"]) {
      const r = await cli(["validate", "--format", format]);
      expect(r.code).toBe(1);
      const lines = (r.stdout + r.stderr).split("\n");
      expect(lines.filter((l) => l.startsWith("::") && !/^::(error|warning) file=/.test(l))).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain("\x1b");
      // The message names the rule the id breaks, not the field's description.
      expect(r.stdout).toMatch(/`model_id` in model gpt-4\.1.* must be printable text without control characters \(no newline, tab or escape\)/);
    }
    const r = await cli(["plan"]);
    expect(r.code).toBe(1);
    expect((r.stdout + r.stderr).split("\n").filter((l) => l.startsWith("::"))).toEqual([]);
  });

  test("8. a symlinked file or folder is an error naming the link; apply refuses (nothing deleted)", async () => {
    const outside = mkdtempSync(join(tmpdir(), "cfgsync-outside-"));
    try {
      const link = join(dir, "config", "accounts", "globex.yaml");
      writeFileSync(join(outside, "globex.yaml"), readFileSync(link));
      rmSync(link);
      symlinkSync(join(outside, "globex.yaml"), link);
      symlinkSync(outside, join(dir, "config", "more"));
      const r = await refused("config.symlink", /^config\/accounts\/globex\.yaml: error: config\/accounts\/globex\.yaml is a symbolic link/);
      expect(r.stdout).toMatch(/^config\/more: error: config\/more is a symbolic link/m);
      const apply = await cli(["apply", "--auto-approve"]);
      expect(apply.code).toBe(1);
      expect(apply.stdout).not.toMatch(/to delete/);
      expect(apply.stderr).toContain("symbolic link");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("9. three 4.8 MB account files of integers are refused quickly, naming each file", async () => {
    for (const n of [1, 2, 3]) {
      const items: string[] = [];
      for (let size = 0, i = 0; size < 4_800_000; i++) {
        const line = `    - ${i % 1000}\n`;
        items.push(line);
        size += line.length;
      }
      writeFileSync(join(dir, "config", "accounts", `big${n}.yaml`), `apiVersion: cfgsync/v1\nkind: Account\naccount: big${n}\nsettings:\n  big:\n${items.join("")}`);
    }
    const started = Date.now();
    const r = await cli(["validate"]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    for (const n of [1, 2, 3]) expect(r.stdout).toMatch(new RegExp(`^config/accounts/big${n}\\.yaml:1:1: error: (more than \\d+ YAML values|the configuration holds more than 1000000 YAML values in all)`, "m"));
  }, 60_000);

  test("15. an unreadable file or folder is named, with what to do; never a bug", async () => {
    chmodSync(join(dir, "config", "accounts", "acme.yaml"), 0o000);
    mkdirSync(join(dir, "config", "locked"));
    chmodSync(join(dir, "config", "locked"), 0o000);
    const r = await asUnprivileged(["validate"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^config\/accounts\/acme\.yaml: error: cannot read config\/accounts\/acme\.yaml: permission denied; make it readable/m);
    expect(r.stdout).toMatch(/^config\/locked: error: cannot read the folder config\/locked: permission denied/m);
    expect(r.stdout + r.stderr).not.toContain("This is a bug");
  });

});
