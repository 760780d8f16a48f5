import { mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "../domain/diagnostic.js";
import { packageSchemasDir, schemaFileName } from "../schema/files.js";
import type { SchemaHref } from "./to-yaml.js";

/**
 * `$schema` references that resolve from where each file is written: the
 * path from the file's folder to this package's schemas/ (so `export --out
 * anywhere` gives files an editor can check).
 */
export function schemaHrefFrom(outDir: string): SchemaHref {
  return (rel, kind) => {
    const from = dirname(resolve(outDir, rel));
    return relative(from, join(packageSchemasDir(), schemaFileName(kind))).split(sep).join("/");
  };
}

/** `rel` under `outDir`, or a UserError: no path built from data may leave --out. */
function inside(outDir: string, rel: string): string {
  const root = resolve(outDir);
  const target = resolve(root, rel);
  const back = relative(root, target);
  if (back === "" || back.startsWith("..") || isAbsolute(back)) {
    throw new UserError("export.outside-out", `refusing to write ${JSON.stringify(rel)}: it is not inside ${outDir}`);
  }
  return target;
}

/** Writes every file or none: existing files are refused up front unless forced. */
export async function writeExport(outDir: string, files: Map<string, string>, opts: { force: boolean }): Promise<string[]> {
  const targets = [...files.keys()].map((rel) => inside(outDir, rel));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length && !opts.force) {
    throw new UserError("export.exists", `refusing to overwrite ${existing.length} existing file(s): ${existing.join(", ")}`, {
      suggestions: ["Pass --force, or export into an empty directory."],
    });
  }
  for (const [i, text] of [...files.values()].entries()) {
    const target = targets[i]!;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return [...files.keys()].map((rel) => join(outDir, rel));
}
