import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { ROOT } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import type { Diagnostic } from "../../src/domain/diagnostic.js";
import type { LoadedConfig } from "../../src/domain/state.js";

/** The day the sample is judged on (claude-3-opus's 2026-05-01 deprecation is past). */
export const TODAY = new Date("2026-11-25T12:00:00Z");

export type Edits = Record<string, ((text: string) => string) | string | null>;

/**
 * A copy of the sample config/ in a temporary directory, with edits applied
 * (a function of the file's text, a new text, or null to delete the file).
 */
export function sampleWith(edits: Edits = {}): { cwd: string; text: (file: string) => string; cleanup: () => void } {
  const cwd = mkdtempSync(join(tmpdir(), "cfgsync-config-"));
  cpSync(join(ROOT, "config"), join(cwd, "config"), { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(cwd, "config", file);
    if (edit === null) rmSync(path);
    else {
      const before = (() => {
        try {
          return readFileSync(path, "utf8");
        } catch {
          return "";
        }
      })();
      const after = typeof edit === "string" ? edit : edit(before);
      if (typeof edit === "function" && after === before) throw new Error(`edit of ${file} changed nothing`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, after);
    }
  }
  return {
    cwd,
    text: (file) => readFileSync(join(cwd, "config", file), "utf8"),
    cleanup: () => rmSync(cwd, { recursive: true, force: true }),
  };
}

/** Loads an edited sample and returns what loadConfig reported. */
export async function loadSampleWith(edits: Edits = {}): Promise<LoadedConfig & { text: (file: string) => string }> {
  const s = sampleWith(edits);
  try {
    const loaded = await loadConfig("config", { cwd: s.cwd, today: TODAY });
    const texts = new Map<string, string>();
    const root = join(s.cwd, "config");
    for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) texts.set(relative(root, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), "utf8"));
    }
    return { ...loaded, text: (file) => texts.get(file) ?? "" };
  } finally {
    s.cleanup();
  }
}

/** 1-based line of the first occurrence of `needle` (after `after`, if given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const from = after === undefined ? 0 : text.indexOf(after);
  if (from < 0) throw new Error(`not found: ${after}`);
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, i).split("\n").length;
}

export function errorsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

export function describe_(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.message} [${d.code}]`).join("\n");
}
