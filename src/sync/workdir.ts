import { join } from "node:path";
import { sha256 } from "../domain/digest.js";
import { remoteAddress } from "./git.js";

/** One checkout per repository, under the working directory, reused across runs of `cfgsync sync`. */
export function defaultWorkdir(repo: string, cwd: string): string {
  return join(cwd, ".cfgsync", `sync-${sha256(remoteAddress(repo, cwd)).slice("sha256:".length, "sha256:".length + 12)}`);
}
