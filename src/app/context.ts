import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import { promisify } from "node:util";

/** Who is applying: CI's actor, an explicit override, or the OS user. */
export function currentActor(env: Readonly<Record<string, string | undefined>>): string {
  if (env.CFGSYNC_ACTOR) return env.CFGSYNC_ACTOR;
  if (env.GITHUB_ACTOR) return `github:${env.GITHUB_ACTOR}`;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** The commit the configuration comes from, when it is in a Git repository. */
export async function gitCommit(dir: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)("git", ["rev-parse", "HEAD"], { cwd: dir, timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}
