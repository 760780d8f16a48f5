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

/** The CI run applying, as a link (GitHub Actions), when there is one. */
export function ciRunUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server.replace(/\/$/, "")}/${repo}/actions/runs/${run}` : undefined;
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
