import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import { appendAll } from "../domain/append.js";
import { NO_PROGRESS, type Progress } from "../domain/progress.js";

/** Larger than any real configuration file; stops a runaway file from eating memory. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/**
 * More files than a configuration repository holds (a platform with 10,000
 * customised accounts has 10,000 account files); stops a mistaken --config-dir
 * (e.g. `/`). The per-file size and YAML node limits bound the work per file.
 */
export const MAX_FILES = 20_000;

export interface ConfigFile {
  /** Relative to the working directory, with forward slashes: what diagnostics print. */
  path: string;
  text: string;
}

export interface ReadResult {
  files: ConfigFile[];
  diagnostics: Diagnostic[];
  /** sha256 over the paths and bytes as read. */
  digest: string;
}

/** Reads every *.yaml / *.yml below `configDir`, as UTF-8 text. Problems become diagnostics. */
export async function readConfigFiles(configDir: string, cwd: string, progress: Progress = NO_PROGRESS): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  const hash = createHash("sha256");
  const root = resolve(cwd, configDir);
  const shown = displayPath(cwd, root);
  const files: ConfigFile[] = [];

  let paths: string[];
  try {
    const info = await stat(root);
    if (!info.isDirectory()) {
      diagnostics.push(diagnostic("error", "config.not-a-directory", `configuration directory ${shown} is not a directory`, { file: shown }));
      return { files, diagnostics, digest: "sha256:" + hash.digest("hex") };
    }
    const listed = await listYamlFiles(root, cwd);
    paths = listed.files;
    appendAll(diagnostics, listed.diagnostics);
  } catch (err) {
    if (isPermissionError(err)) {
      diagnostics.push(diagnostic("error", "config.unreadable", `cannot read the configuration directory ${shown}: permission denied; make it readable (chmod u+rx)`, { file: shown }));
      return { files, diagnostics, digest: "sha256:" + hash.digest("hex") };
    }
    diagnostics.push(
      diagnostic("error", "config.missing-directory", `configuration directory ${shown} does not exist (pass --config-dir)`, { file: shown }),
    );
    return { files, diagnostics, digest: "sha256:" + hash.digest("hex") };
  }
  if (paths.length > MAX_FILES) {
    diagnostics.push(
      diagnostic("error", "config.too-many-files", `${shown} holds ${paths.length} YAML files; more than ${MAX_FILES} is not a configuration directory`, { file: shown }),
    );
    paths = paths.slice(0, MAX_FILES);
  }

  progress.phase("reading files", paths.length);
  for (const abs of paths) {
    progress.advance();
    const path = displayPath(cwd, abs);
    let size: number;
    let bytes: Buffer;
    try {
      size = (await stat(abs)).size;
      bytes = size > MAX_FILE_BYTES ? Buffer.alloc(0) : await readFile(abs);
    } catch (err) {
      const reason = isPermissionError(err) ? "permission denied; make it readable (chmod u+r)" : `${(err as NodeJS.ErrnoException).code ?? "read error"}`;
      diagnostics.push(diagnostic("error", "file.unreadable", `cannot read ${path}: ${reason}`, { file: path }));
      continue;
    }
    if (size > MAX_FILE_BYTES) {
      diagnostics.push(
        diagnostic("error", "file.too-large", `file is ${size} bytes; configuration files are limited to ${MAX_FILE_BYTES} bytes`, { file: path, line: 1, col: 1 }),
      );
      continue;
    }
    hash.update(path).update("\0").update(bytes).update("\0");
    const decoded = decodeUtf8(bytes);
    if (typeof decoded !== "string") {
      diagnostics.push(
        diagnostic("error", "file.invalid-utf8", "file is not valid UTF-8 (invalid byte sequence here); save it as UTF-8", { file: path, ...decoded }),
      );
      continue;
    }
    files.push({ path, text: decoded });
  }
  return { files, diagnostics, digest: "sha256:" + hash.digest("hex") };
}

const isPermissionError = (err: unknown) => ["EACCES", "EPERM"].includes((err as NodeJS.ErrnoException)?.code ?? "");

/**
 * Every *.yaml / *.yml below `root`, walking folder by folder so that an
 * unreadable folder is named instead of silently missing. Symbolic links are
 * never followed: a linked file or folder is an error naming the link (a link
 * could pull in, or silently drop, files from outside config/).
 */
async function listYamlFiles(root: string, cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = async (dir: string, isRoot: boolean): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isRoot) throw err;
      const shown = displayPath(cwd, dir);
      const reason = isPermissionError(err) ? "permission denied; make it readable (chmod u+rx)" : ((err as NodeJS.ErrnoException).code ?? "read error");
      diagnostics.push(diagnostic("error", "config.unreadable", `cannot read the folder ${shown}: ${reason}`, { file: shown }));
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      // Hidden files and folders (editor backups, .git) are not configuration.
      if (e.name.startsWith(".")) continue;
      const abs = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const shown = displayPath(cwd, abs);
        diagnostics.push(
          diagnostic("error", "config.symlink", `${shown} is a symbolic link; cfgsync does not follow links in the configuration directory: replace it with the file itself`, { file: shown }),
        );
      } else if (e.isDirectory()) await walk(abs, false);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(abs);
    }
  };
  await walk(root, true);
  return { files: files.sort(), diagnostics };
}

function displayPath(cwd: string, abs: string): string {
  return relative(cwd, abs).split(sep).join("/") || ".";
}

/** The text, or where the first invalid byte sequence is (1-based line and byte column). */
export function decodeUtf8(bytes: Uint8Array): string | { line: number; col: number } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) (line++, (lineStart = i + 1));
    return { line, col: at - lineStart + 1 };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  // Overlongs and surrogates pass this coarse check; point at the start then.
  return 0;
}
