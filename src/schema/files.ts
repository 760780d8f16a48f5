import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { allJsonSchemas } from "./json-schema.js";

/**
 * The package's own schemas/ folder. Resolved from this module's location
 * (src/schema or dist/schema, both two levels below the root), so validation
 * works whatever the current directory is.
 */
export function packageSchemasDir(): string {
  return fileURLToPath(new URL("../../schemas/", import.meta.url));
}

export interface SchemaFileStatus {
  file: string;
  status: "current" | "stale" | "missing" | "extra";
}

/** Compares the generated schemas with what `dir` holds, without writing anything. */
export async function checkSchemaFiles(dir: string): Promise<SchemaFileStatus[]> {
  const expected = allJsonSchemas();
  const present = await listSchemaFiles(dir);
  const statuses: SchemaFileStatus[] = [];
  for (const [file, content] of expected) {
    const actual = present.has(file) ? await readFile(join(dir, file), "utf8") : undefined;
    statuses.push({ file, status: actual === undefined ? "missing" : actual === content ? "current" : "stale" });
  }
  for (const file of present) if (!expected.has(file)) statuses.push({ file, status: "extra" });
  return statuses.sort((a, b) => a.file.localeCompare(b.file));
}

/** Writes every generated schema into `dir`; returns the files whose content changed. */
export async function writeSchemaFiles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const changed: string[] = [];
  for (const status of await checkSchemaFiles(dir)) {
    const content = allJsonSchemas().get(status.file);
    if (content === undefined || status.status === "current") continue;
    await writeFile(join(dir, status.file), content);
    changed.push(status.file);
  }
  return changed;
}

async function listSchemaFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).filter((f) => f.endsWith(".schema.json")));
  } catch {
    return new Set();
  }
}
