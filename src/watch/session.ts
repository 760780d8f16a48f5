import { relative, resolve } from "node:path";
import { UserError } from "../domain/diagnostic.js";
import { redactUrlCredentials } from "../app/log.js";
import { planThroughSession, StoreSession } from "../app/store-session.js";
import { watchConfigDir, type ConfigWatcher } from "./config-watcher.js";
import { coalescingRunner, debounce } from "./debounce.js";
import { ChangeReporter, runHeader, type RunResult } from "./report.js";

export interface WatchOptions {
  configDir: string;
  cwd: string;
  databaseUrl: string;
  env: Readonly<Record<string, string | undefined>>;
  debounceMs: number;
  color: boolean;
  write: (text: string) => void;
  now?: () => Date;
}

export interface WatchSession {
  /** Closes the watcher, lets a run in progress finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * `cfgsync watch`: plan once, then re-validate and re-plan after every
 * (debounced) change, printing only what changed since the previous run.
 * Nothing ends it but stop(): invalid YAML, a deleted file or directory, or a
 * database that went away are reported and waited out.
 */
export async function startWatch(opts: WatchOptions): Promise<WatchSession> {
  const now = opts.now ?? (() => new Date());
  const session = new StoreSession(opts.databaseUrl);
  const reporter = new ChangeReporter();
  const changedFiles = new Set<string>();

  const runOnce = async () => {
    const files = [...changedFiles].sort();
    changedFiles.clear();
    const result = await planResult(session, opts);
    const { text } = reporter.next(result, opts.color);
    opts.write(`${runHeader(now(), files)}\n${text}`);
  };
  const runner = coalescingRunner(runOnce);
  const debounced = debounce(() => runner.request(), opts.debounceMs);

  const watcher: ConfigWatcher = await watchConfigDir(resolve(opts.cwd, opts.configDir), {
    onChange(_event, path) {
      changedFiles.add(relative(opts.cwd, path) || ".");
      debounced.trigger();
    },
    onError(err) {
      opts.write(`watch error: ${err.message}\n`);
    },
  });
  opts.write(`Watching ${opts.configDir} for changes (debounce ${opts.debounceMs}ms). Press Ctrl+C to stop.\n`);
  runner.request();

  return {
    async stop() {
      debounced.cancel();
      await watcher.close();
      await runner.stop();
      await session.close();
    },
  };
}

async function planResult(session: StoreSession, opts: WatchOptions): Promise<RunResult> {
  try {
    const { plan } = await planThroughSession(session, { configDir: opts.configDir, cwd: opts.cwd, env: opts.env });
    return { kind: "plan", plan };
  } catch (err) {
    if (err instanceof UserError) {
      if (err.code === "config.invalid") return { kind: "invalid", message: err.message, diagnostics: err.diagnostics };
      return { kind: "failed", message: redactUrlCredentials(err.message), diagnostics: err.diagnostics, hints: err.suggestions };
    }
    // A file deleted between listing and reading, say: the next change event runs again.
    // A driver's message may quote the database URL: its password is not printed.
    return { kind: "failed", message: redactUrlCredentials((err as Error).message) };
  }
}
