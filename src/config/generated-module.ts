import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A module the build generates next to this one in dist/ (precompiled
 * validators), or undefined where there is none: running from src (vitest),
 * whose callers then compile at run time. A file that is there but fails to
 * load (broken, half-written) is an error, not a silent fallback.
 */
export async function generatedModule<T>(name: string): Promise<T | undefined> {
  const url = new URL(`./${name}`, import.meta.url);
  return existsSync(fileURLToPath(url)) ? ((await import(url.href)) as T) : undefined;
}
