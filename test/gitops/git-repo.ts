import { execFileSync } from "node:child_process";

/** A real Git repository for the sync tests: the workspace directory, with its config/ committed. */
export function gitInit(dir: string): void {
  git(dir, ["init", "--quiet", "--initial-branch", "main"]);
  commitAll(dir, "initial configuration");
}

/** Commits everything and returns the new commit's sha. */
export function commitAll(dir: string, message: string): string {
  git(dir, ["add", "--all"]);
  git(dir, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", message]);
  return git(dir, ["rev-parse", "HEAD"]).trim();
}

export function git(dir: string, args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", timeout: 20_000, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
}
