import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { UserError } from "../domain/diagnostic.js";
import { redactUrlCredentials } from "../app/log.js";

export interface FetchOptions {
  /** A URL (credentials in it are taken out, never stored), an scp-like address (git@host:org/repo) or a local path. */
  repo: string;
  /** The environment: CFGSYNC_GIT_TOKEN (and CFGSYNC_GIT_USERNAME) authenticate an https remote. */
  env?: Readonly<Record<string, string | undefined>>;
  ref: string;
  /** A directory of cfgsync's own: the checkout lives here between cycles. */
  workdir: string;
  timeoutMs: number;
  /** Aborts a running git (shutdown); nothing has been written to the database at this point. */
  signal?: AbortSignal;
  cwd?: string;
}

/**
 * Brings `workdir` to the commit `ref` names in `repo` and returns its sha.
 * The first run initialises the checkout; later runs fetch only the ref
 * (shallow) and force the work tree to it, so a work tree edited by hand or
 * left half-written by a killed run is repaired, never merged.
 */
export async function fetchRevision(opts: FetchOptions): Promise<string> {
  const cwd = opts.cwd ?? process.cwd();
  const { url: remote, credentials } = remoteWithCredentials(opts.repo, cwd, opts.env ?? process.env);
  const dir = resolve(cwd, opts.workdir);
  const git = (args: string[], what: string) =>
    runGit(args, { cwd: dir, timeoutMs: opts.timeoutMs, signal: opts.signal, what, repo: opts.repo, ref: opts.ref, credentials });

  if (!existsSync(join(dir, ".git"))) {
    await mkdir(dir, { recursive: true });
    if ((await readdir(dir)).length) {
      throw new UserError("sync.workdir-not-empty", `the work directory ${opts.workdir} is not empty and not a cfgsync checkout; refusing to overwrite it`, {
        suggestions: ["Pass --workdir with an empty or new directory."],
      });
    }
    await git(["init", "--quiet"], "init");
    await git(["remote", "add", "origin", remote], "remote add");
  } else {
    // The same work directory may be reused with another --repo.
    await git(["remote", "set-url", "origin", remote], "remote set-url");
  }
  await git(["fetch", "--quiet", "--no-tags", "--depth", "1", "origin", opts.ref], "fetch");
  await git(["checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"], "checkout");
  await git(["clean", "--quiet", "-ffdx"], "clean");
  return (await git(["rev-parse", "HEAD"], "rev-parse")).trim();
}

export interface GitCredentials {
  username: string;
  password: string;
}

/**
 * The remote as git stores it (no credentials: .git/config is a plain file)
 * and the credentials to hand git through its environment: those written in
 * the URL (https://user:token@host/...), else CFGSYNC_GIT_TOKEN (with
 * CFGSYNC_GIT_USERNAME, default x-access-token). Without either, git's own
 * credential helpers and SSH keys apply as usual.
 */
export function remoteWithCredentials(repo: string, cwd: string, env: Readonly<Record<string, string | undefined>>): { url: string; credentials?: GitCredentials } {
  const address = remoteAddress(repo, cwd);
  let url = address;
  let credentials: GitCredentials | undefined;
  if (/^https?:\/\//i.test(address)) {
    const parsed = new URL(address);
    if (parsed.username || parsed.password) {
      credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
      parsed.username = "";
      parsed.password = "";
      url = parsed.toString();
    } else if (env.CFGSYNC_GIT_TOKEN) {
      credentials = { username: env.CFGSYNC_GIT_USERNAME || "x-access-token", password: env.CFGSYNC_GIT_TOKEN };
    }
  }
  if (credentials && /[\r\n\0]/.test(credentials.username + credentials.password)) {
    throw new UserError("sync.credentials-invalid", "the Git credentials contain a line break; git's credential protocol cannot carry them");
  }
  return credentials ? { url, credentials } : { url };
}

/** A local path becomes absolute (git resolves a relative remote against the work directory). */
export function remoteAddress(repo: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) return repo;
  if (/^[^/\\]+@[^/\\:]+:/.test(repo)) return repo; // scp-like: git@github.com:org/repo.git
  return isAbsolute(repo) ? repo : resolve(cwd, repo);
}

interface GitRun {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  what: string;
  repo: string;
  ref: string;
  credentials: GitCredentials | undefined;
}

function runGit(args: string[], run: GitRun): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      args,
      {
        cwd: run.cwd,
        timeout: run.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 16 * 1024 * 1024,
        ...(run.signal ? { signal: run.signal } : {}),
        env: gitEnv(process.env, run.credentials),
      },
      (err, stdout, stderr) => {
        if (!err) return resolvePromise(stdout);
        reject(gitError(err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null }, String(stderr), run));
      },
    );
  });
}

/**
 * The one credential helper cfgsync configures, through the environment
 * (GIT_CONFIG_COUNT/KEY/VALUE: neither .git/config nor the command line):
 * it answers git's "get" with the username and password from two variables
 * of git's own environment.
 */
const ENV_CREDENTIAL_HELPER = `!f() { test "$1" = get || exit 0; printf 'username=%s\\npassword=%s\\n' "$CFGSYNC_GIT_CREDENTIAL_USERNAME" "$CFGSYNC_GIT_CREDENTIAL_PASSWORD"; }; f`;

/**
 * Git must never stop to ask for a password, and its messages must be the
 * English ones we classify. Credentials reach git through its environment
 * only: an empty credential.helper first clears the configured helpers, so
 * the credentials given are the ones used.
 */
export function gitEnv(env: NodeJS.ProcessEnv, credentials?: GitCredentials): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes",
    LC_ALL: "C",
    LANG: "C",
  };
  delete out.CFGSYNC_GIT_TOKEN;
  if (!credentials) return out;
  const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  return {
    ...out,
    GIT_CONFIG_COUNT: String(count + 2),
    [`GIT_CONFIG_KEY_${count}`]: "credential.helper",
    [`GIT_CONFIG_VALUE_${count}`]: "",
    [`GIT_CONFIG_KEY_${count + 1}`]: "credential.helper",
    [`GIT_CONFIG_VALUE_${count + 1}`]: ENV_CREDENTIAL_HELPER,
    CFGSYNC_GIT_CREDENTIAL_USERNAME: credentials.username,
    CFGSYNC_GIT_CREDENTIAL_PASSWORD: credentials.password,
  };
}

/** Turns a failed git run into the user's situation: unreachable repository, unknown ref, timeout. */
export function gitError(
  err: { name?: string; code?: string | number | undefined; killed?: boolean; signal?: string | null; message: string },
  stderr: string,
  run: Pick<GitRun, "what" | "repo" | "ref" | "timeoutMs">,
): Error {
  const repo = redactUrlCredentials(run.repo);
  if (err.name === "AbortError") return err as Error;
  if (err.code === "ENOENT") {
    return new UserError("sync.git-missing", "git is not installed or not on PATH", { suggestions: ["Install git; cfgsync sync runs it to fetch the repository."] });
  }
  if (err.killed || err.signal === "SIGKILL") {
    return new UserError("sync.git-timeout", `git ${run.what} of ${repo} did not finish within ${Math.round(run.timeoutMs / 1000)}s`);
  }
  const detail = redactUrlCredentials(lastMeaningfulLine(stderr) ?? err.message);
  if (/couldn't find remote ref|invalid refspec|not our ref|unadvertised object/i.test(stderr)) {
    return new UserError("sync.ref-not-found", `the ref '${run.ref}' does not exist in ${repo}`, {
      suggestions: ["Pass --ref with a branch, tag or commit of the repository."],
    });
  }
  if (/does not appear to be a git repository|repository .* not found|could not resolve host|unable to access|connection (refused|timed out)|could not read from remote|no such file or directory|authentication failed|permission denied/i.test(stderr)) {
    return new UserError("sync.repo-unreachable", `cannot fetch from ${repo}: ${detail}`, {
      suggestions: ["Check --repo (a URL or a path to a Git repository) and the network or credentials."],
    });
  }
  return new UserError("sync.git-failed", `git ${run.what} failed: ${detail}`);
}

function lastMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("fatal:")) ?? lines.at(-1);
}
