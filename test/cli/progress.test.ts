import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { terminalProgress } from "../../src/cli/progress.js";
import { ROOT, runCli } from "../helpers/cli.js";

describe("terminalProgress", () => {
  const recorder = () => {
    const written: string[] = [];
    let t = 0;
    return { written, stream: { write: (s: string) => written.push(s) }, tick: (ms: number) => (t += ms), now: () => t };
  };

  test("a phase shorter than the delay prints nothing; a longer one counts in place and ends with a summary line", () => {
    const r = recorder();
    const progress = terminalProgress(r.stream, { delayMs: 1000, now: r.now });
    progress.phase("reading files", 3);
    progress.advance();
    r.tick(500);
    progress.phase("validating files", 10_000);
    expect(r.written).toEqual([]);
    r.tick(1200);
    progress.advance(2500);
    r.tick(50);
    progress.advance(); // redrawn at most every 100 ms
    r.tick(100);
    progress.advance(7499);
    progress.done();
    expect(r.written).toEqual([
      "\r\x1b[2Kvalidating files: 2,500 / 10,000 ...",
      "\r\x1b[2Kvalidating files: 10,000 / 10,000 ...",
      "\r\x1b[2Kvalidating files: 10,000 (1.4 s)\n",
    ]);
  });

  test("work that awaits (the database) is shown by a timer once the delay has passed", async () => {
    const r = recorder();
    const progress = terminalProgress(r.stream, { delayMs: 20, now: r.now });
    progress.phase("reading the database");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(r.written).toEqual(["\r\x1b[2Kreading the database: 0 ..."]);
    progress.advance(42);
    progress.done();
    expect(r.written.at(-1)).toBe("\r\x1b[2Kreading the database: 42 (0.0 s)\n");
  });
});

describe("progress through the real CLI", () => {
  const BIN = join(ROOT, "bin", "run.js");
  // No delay, so the sample's short phases show; the delay itself is tested above.
  const env = { ...process.env, CFGSYNC_PROGRESS_DELAY_MS: "0", NO_COLOR: "1" };
  /** Runs the CLI in a pseudo-terminal (util-linux `script`): stdout and stderr are TTYs. */
  const inTerminal = (args: string[]) =>
    spawnSync("script", ["-qec", [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" "), "/dev/null"], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });

  test("on a terminal, validate shows its phases with counts on stderr", () => {
    const run = inTerminal(["validate"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/reading files: \d+ \(\d+\.\d s\)/);
    expect(run.stdout).toMatch(/validating files: \d+ \(\d+\.\d s\)/);
    expect(run.stdout).toContain("config is valid");
  });

  test("never with --json on a terminal, and never when the output is piped", async () => {
    const json = inTerminal(["validate", "--json"]);
    expect(json.status).toBe(0);
    expect(json.stdout).not.toContain("reading files");
    const piped = await runCli(["validate"], { env });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
    expect(piped.stdout).not.toContain("reading files");
  });
});
