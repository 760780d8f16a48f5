import { mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../domain/diagnostic.js";

/** Writes every file or none: existing files are refused up front unless forced. */
export async function writeExport(outDir: string, files: Map<string, string>, opts: { force: boolean }): Promise<string[]> {
  const targets = [...files.keys()].map((rel) => join(outDir, rel));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length && !opts.force) {
    throw new UserError("export.exists", `refusing to overwrite ${existing.length} existing file(s): ${existing.join(", ")}`, {
      suggestions: ["Pass --force, or export into an empty directory."],
    });
  }
  for (const [rel, text] of files) {
    const target = join(outDir, rel);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return targets;
}
