import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { sha256 } from "../plan/digest.js";
import { remoteWithCredentials } from "./git.js";

/**
 * One checkout per repository, under the working directory, reused across
 * runs of `cfgsync sync`. Named after the address without credentials, so a
 * rotated token does not leave another checkout behind.
 */
export function defaultWorkdir(repo: string, cwd: string): string {
  const { url } = remoteWithCredentials(repo, cwd, {});
  return join(cwd, ".cfgsync", `sync-${sha256(url).slice("sha256:".length, "sha256:".length + 12)}`);
}

const URL_WITH_CREDENTIALS = /^(\s*url\s*=\s*[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gim;

/**
 * Work directories written by older versions kept `https://user:token@host`
 * in their .git/config: removes the credentials from every `sync-*` checkout
 * in `parent` (.cfgsync/). Returns the directories it cleaned.
 */
export function scrubStoredCredentials(parent: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const cleaned: string[] = [];
  for (const name of entries.filter((n) => n.startsWith("sync-"))) {
    const config = join(parent, name, ".git", "config");
    let text: string;
    try {
      text = readFileSync(config, "utf8");
    } catch {
      continue;
    }
    const scrubbed = text.replace(URL_WITH_CREDENTIALS, "$1");
    if (scrubbed !== text) {
      writeFileSync(config, scrubbed);
      cleaned.push(join(parent, name));
    }
  }
  return cleaned;
}

/** Who holds a work directory: written in `<workdir>.lock`. */
export interface WorkdirHolder {
  pid: number;
  host: string;
  since: string;
}

export type WorkdirLock = { acquired: true; release(): Promise<void> } | { acquired: false; holder: WorkdirHolder | null };

/**
 * Takes the work directory for one cycle, so that two sync processes sharing
 * it never run git on it at once. The lock is a file beside the directory,
 * created exclusively; a lock left by a process that died on this host is
 * taken over. Never waits: the caller skips the cycle.
 */
export async function lockWorkdir(workdir: string, now: () => Date = () => new Date()): Promise<WorkdirLock> {
  const path = `${workdir}.lock`;
  const me: WorkdirHolder = { pid: process.pid, host: hostname(), since: now().toISOString() };
  await mkdir(dirname(workdir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return { acquired: true, release: () => unlink(path).catch(() => {}) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = await readHolder(path);
    if (holder && !(holder.host === me.host && !isAlive(holder.pid))) return { acquired: false, holder };
    if (!holder) {
      // Half-written by a process that is creating it right now, or garbage: only take it when old.
      const age = await lockAge(path, now);
      if (age !== undefined && age < 60_000) return { acquired: false, holder: null };
    }
    await unlink(path).catch(() => {});
  }
  return { acquired: false, holder: await readHolder(path) };
}

async function readHolder(path: string): Promise<WorkdirHolder | null> {
  try {
    const value = JSON.parse(await readFile(path, "utf8")) as Partial<WorkdirHolder>;
    return typeof value.pid === "number" && typeof value.host === "string" ? { pid: value.pid, host: value.host, since: String(value.since ?? "") } : null;
  } catch {
    return null;
  }
}

async function lockAge(path: string, now: () => Date): Promise<number | undefined> {
  try {
    return now().getTime() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
