import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CODES, EXIT_CODE_MEANINGS } from "../../src/domain/codes.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { API_KEYS } from "../helpers/workspace.js";

/*
 * Keeps the README true: its sample output is re-run, its exit code and error
 * code tables are generated from the registry, and every code's doc anchor is a
 * heading of the README. UPDATE_README=1 rewrites README.md instead of failing.
 */

const README = join(ROOT, "README.md");
const UPDATE = process.env.UPDATE_README === "1";

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) => "#" + heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");

function exitCodesTable(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `| ${code} | ${meaning} |`);
  return ["| code | meaning |", "| --- | --- |", ...rows].join("\n");
}

function errorCodesTable(): string {
  const rows = Object.entries(CODES).map(([code, info]) => `| \`${code}\` | ${info.exit} | ${info.hint.replaceAll("|", "\\|")} | [${info.doc.slice(1)}](${info.doc}) |`);
  return ["| code | exit | hint | see |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

function withGenerated(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- generated: ${name} [^>]*-->\\n)[\\s\\S]*?(<!-- /generated -->)`);
  if (!re.test(text)) throw new Error(`README.md has no generated section ${name}`);
  return text.replace(re, `$1${body}\n$2`);
}

interface Example {
  /** Offset of the fenced block's body in the README. */
  start: number;
  end: number;
  commands: string[];
  edit?: { file: string; replace: string; with: string };
}

function examples(text: string): Example[] {
  const out: Example[] = [];
  const re = /<!-- example( [^>]*)? -->\n```\n([\s\S]*?)```/g;
  for (let m; (m = re.exec(text)); ) {
    const attrs = Object.fromEntries([...(m[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    const body = m[2]!;
    const start = m.index + m[0].length - 3 - body.length;
    const commands = body
      .split("\n")
      .filter((l) => l.startsWith("$ npx cfgsync "))
      .map((l) => l.slice("$ npx cfgsync ".length).replace(/\s+#.*$/, ""));
    out.push({ start, end: start + body.length, commands, ...(attrs.edit ? { edit: { file: attrs.edit, replace: attrs.replace!, with: attrs.with! } } : {}) });
  }
  return out;
}

let dir: string;
const env = { ...API_KEYS, DATABASE_URL: undefined, CFGSYNC_ACTOR: "readme" };
const cli = (args: string[]) => runCli(args, { cwd: dir, env });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cfgsync-readme-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  for (const setup of [["db", "create-account", "acme", "globex"], ["apply", "--auto-approve"]]) {
    const r = await cli(setup);
    if (r.code !== 0) throw new Error(`${setup.join(" ")}: ${r.stderr}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README.md", () => {
  test("its examples are the CLI's real output", async () => {
    let text = readFileSync(README, "utf8");
    const found = examples(text);
    expect(found.length).toBeGreaterThanOrEqual(4);
    const rendered: string[] = [];
    for (const ex of found) {
      const file = ex.edit ? join(dir, ex.edit.file) : undefined;
      const original = file ? readFileSync(file, "utf8") : undefined;
      if (file && ex.edit) {
        expect(original, `README edit of ${ex.edit.file}`).toContain(ex.edit.replace);
        writeFileSync(file, original!.replace(ex.edit.replace, ex.edit.with));
      }
      const parts: string[] = [];
      try {
        for (const command of ex.commands) {
          const r = await cli(command.split(" "));
          parts.push(`$ npx cfgsync ${command}\n${(r.stdout + r.stderr).trimEnd()}\n`);
        }
      } finally {
        if (file) writeFileSync(file, original!);
      }
      rendered.push(parts.join("\n"));
    }
    // Back to front, so the offsets of earlier blocks stay valid.
    for (const [i, ex] of [...found.entries()].reverse()) text = text.slice(0, ex.start) + rendered[i] + text.slice(ex.end);
    if (UPDATE) writeFileSync(README, text);
    else expect(readFileSync(README, "utf8"), "README examples are stale: run UPDATE_README=1 npx vitest run test/cli/readme.test.ts").toBe(text);
  });

  test("its exit code and error code tables are the registry's", () => {
    const current = readFileSync(README, "utf8");
    const text = withGenerated(withGenerated(current, "exit-codes", exitCodesTable()), "error-codes", errorCodesTable());
    if (UPDATE) writeFileSync(README, text);
    else expect(current, "README tables are stale: run UPDATE_README=1 npx vitest run test/cli/readme.test.ts").toBe(text);
  });

  test("every code's doc anchor is a README heading", () => {
    const headings = new Set(readFileSync(README, "utf8").split("\n").filter((l) => /^#{1,4} /.test(l)).map((l) => anchor(l.replace(/^#+ /, ""))));
    for (const [code, info] of Object.entries(CODES)) expect(headings, `${code} -> ${info.doc}`).toContain(info.doc);
  });
});

describe("the code registry is closed both ways", () => {
  test("every registered code is used in src/", () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts") && !p.endsWith("codes.ts")) files.push(readFileSync(p, "utf8"));
      }
    };
    walk(join(ROOT, "src"));
    const source = files.join("\n");
    const unused = Object.keys(CODES).filter((code) => !source.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });
});
