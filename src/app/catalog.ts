import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { loadConfig } from "../config/load.js";
import { CatalogFileError, mergeCatalog, type CatalogFile } from "../config/reference/catalog-merge.js";
import { parseLitellm, ReferenceFormatError, type ReferenceCatalog } from "../config/reference/litellm.js";
import { UserError } from "../domain/diagnostic.js";
import { compareCatalog, type CompareReport, type ImportReport } from "../domain/price-reference.js";

/*
 * `cfgsync catalog import` and `catalog compare`: read a reference price list
 * (LiteLLM's model price map), then write the catalog files or compare them.
 */

export const REFERENCE_FORMATS = ["litellm"] as const;
/** The full LiteLLM file is ~1.5 MB; far above that is not a price list. */
const MAX_REFERENCE_BYTES = 64 * 1024 * 1024;

export async function readReference(file: string): Promise<ReferenceCatalog> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a file");
    if (info.size > MAX_REFERENCE_BYTES) {
      throw new UserError("catalog.reference-too-large", `${file} is ${info.size} bytes; a price list is far smaller (limit ${MAX_REFERENCE_BYTES})`);
    }
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError("catalog.reference-unreadable", `cannot read the reference price list ${file}: ${(err as Error).message.split("\n")[0]}`);
  }
  try {
    return parseLitellm(text);
  } catch (err) {
    if (err instanceof ReferenceFormatError) {
      const where = err.at ? `${file}:${err.at.line}:${err.at.col}` : file;
      throw new UserError("catalog.reference-invalid", `${where}: ${err.message}`, {
        suggestions: ["pass LiteLLM's model_prices_and_context_window.json (or an extract of it)"],
      });
    }
    throw err;
  }
}

/** Every YAML file under config/models/, relative to the configuration directory. */
async function readCatalogFiles(configDir: string): Promise<CatalogFile[]> {
  const root = join(configDir, "models");
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  const paths = entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((abs) => !relative(configDir, abs).split(sep).some((part) => part.startsWith(".")))
    .sort();
  return Promise.all(paths.map(async (abs) => ({ path: relative(configDir, abs).split(sep).join("/"), text: await readFile(abs, "utf8") })));
}

/**
 * Writes every changed file next to itself first, then renames them into
 * place: a failure while writing leaves the catalog as it was.
 */
async function writeFiles(configDir: string, writes: ReadonlyMap<string, string>): Promise<void> {
  const staged: [string, string][] = [];
  for (const [path, text] of writes) {
    const target = join(configDir, path);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.cfgsync-import-${process.pid}`;
    await writeFile(temp, text);
    staged.push([temp, target]);
  }
  for (const [temp, target] of staged) await rename(temp, target);
}

export async function importCatalog(opts: {
  configDir: string;
  file: string;
  providers?: readonly string[];
  dryRun?: boolean;
}): Promise<{ report: ImportReport; written: string[] }> {
  const reference = await readReference(opts.file);
  const files = await readCatalogFiles(opts.configDir);
  let merged;
  try {
    merged = mergeCatalog(files, reference, { providers: opts.providers });
  } catch (err) {
    if (!(err instanceof CatalogFileError)) throw err;
    throw new UserError("catalog.files-invalid", `cannot import into ${join(opts.configDir, err.file)}: it is not valid YAML (${err.reason})`, {
      suggestions: ["run `cfgsync validate` and fix the file first; nothing was written"],
    });
  }
  const { writes, report } = merged;
  if (!opts.dryRun) await writeFiles(opts.configDir, writes);
  return { report, written: [...writes.keys()].sort().map((p) => join(opts.configDir, p).split(sep).join("/")) };
}

export async function compareWithReference(opts: { configDir: string; file: string }): Promise<CompareReport> {
  const reference = await readReference(opts.file);
  const loaded = await loadConfig(opts.configDir);
  return compareCatalog(loaded.desired.resources, reference.priced, reference.entries);
}
