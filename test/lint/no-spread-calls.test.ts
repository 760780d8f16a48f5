import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

/*
 * A spread into a call passes every element as an argument: `out.push(...lines)`
 * or `Math.max(...values)` overflows the call stack somewhere past 100k items,
 * which is how a 10k-model plan crashed (issue #11). src/ uses appendAll (and
 * loops) instead; this finds any spread into those calls, comments aside.
 */
const SPREAD_CALL = /\.(?:push|unshift)\(\s*\.\.\.|\bMath\.(?:max|min)\(\s*\.\.\.|\bString\.fromCharCode\(\s*\.\.\./;

export function spreadCalls(source: string): number[] {
  const lines: number[] = [];
  // Block comments and line comments hold examples of the very thing forbidden.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/\/\/.*$/gm, "");
  code.split("\n").forEach((line, i) => {
    if (SPREAD_CALL.test(line)) lines.push(i + 1);
  });
  return lines;
}

const SRC = join(import.meta.dirname, "..", "..", "src");

describe("no spread of unbounded arrays into calls", () => {
  test("the check finds push(...x), Math.max(...x) and Math.min(...x), and ignores comments", () => {
    expect(spreadCalls("out.push(...lines);\nconst m = Math.max(...xs);\nMath.min( ...ys)")).toEqual([1, 2, 3]);
    expect(spreadCalls("// out.push(...lines)\n/* Math.max(...xs) */\nout.push(a, b);\nconst all = [...a, ...b];")).toEqual([]);
  });

  test("src/ has none", () => {
    const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts"))
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => spreadCalls(readFileSync(f, "utf8")).map((line) => `${relative(SRC, f)}:${line}`));
    expect(found).toEqual([]);
  });
});
