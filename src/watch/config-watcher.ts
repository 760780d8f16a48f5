import { dirname, relative, resolve, sep } from "node:path";

export type ConfigEvent = "add" | "change" | "unlink" | "addDir" | "unlinkDir";

export interface ConfigWatcher {
  close(): Promise<void>;
}

/**
 * Watches a configuration directory for changes to YAML files, including the
 * directory itself being deleted and created again (a `git checkout`, an
 * `rm -rf config && cp -r ...`). For that, the parent is watched, with
 * everything outside the configuration directory ignored: a watch on the
 * directory alone dies with it.
 */
export async function watchConfigDir(
  configDir: string,
  handlers: { onChange(event: ConfigEvent, path: string): void; onError(err: Error): void },
): Promise<ConfigWatcher> {
  const { watch } = await import("chokidar");
  const root = resolve(configDir);
  const parent = dirname(root);
  const watcher = watch(parent, {
    ignoreInitial: true,
    ignored: (path: string) => !isWithin(resolve(path), root, parent),
    // Editors save by writing a temp file and renaming it: one "change", not unlink + add.
    atomic: true,
  });
  watcher.on("all", (event, path) => {
    const abs = resolve(path);
    if (abs === parent) return;
    const isDirEvent = event === "addDir" || event === "unlinkDir";
    if (isDirEvent || isConfigFile(abs)) handlers.onChange(event as ConfigEvent, abs);
  });
  watcher.on("error", (err) => handlers.onError(err as Error));
  await new Promise<void>((ready) => watcher.once("ready", ready));
  return { close: () => watcher.close() };
}

/** The configuration loader reads *.yaml and *.yml; editors' swap and backup files are noise. */
export function isConfigFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

function isWithin(path: string, root: string, parent: string): boolean {
  if (path === parent || path === root) return true;
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}
