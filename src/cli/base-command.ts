import { Command, Flags } from "@oclif/core";
import type { ExitCodeValue } from "../domain/codes.js";
import { NO_PROGRESS, type Progress } from "../domain/progress.js";
import { isExit, reportError } from "./errors.js";
import { prettyJsonChunks } from "./output.js";
import { terminalProgress } from "./progress.js";

/** `--env NAME`: config/ with config/environments/NAME.yaml overlaid (README "Environments"). */
export function environmentFlag() {
  return Flags.string({
    description: "environment: overlay config/environments/NAME.yaml on config/ (and use the database its database_url names, unless --database-url)",
    helpGroup: "GLOBAL",
  });
}

/**
 * The one boundary that turns errors into output and exit codes (src/cli/errors.ts).
 * Commands are wiring: parse flags, call the layers, return what `--json`
 * prints (oclif's enableJsonFlag), set the exit code with `exitWith`.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    "config-dir": Flags.string({ description: "configuration directory", default: "config", helpGroup: "GLOBAL" }),
    "database-url": Flags.string({
      description: "database URL (default: $DATABASE_URL, else file:./cfgsync.db)",
      helpGroup: "GLOBAL",
    }),
  };

  protected databaseUrl(flag: string | undefined): string {
    return flag ?? process.env.DATABASE_URL ?? "file:./cfgsync.db";
  }

  /**
   * The environment (checked against config/environments/) and the database a
   * command works on; see app/environment.ts for the precedence.
   */
  protected async target(flags: { "config-dir": string; "database-url"?: string | undefined; env?: string | undefined }): Promise<import("../app/environment.js").Target> {
    const { resolveTarget } = await import("../app/environment.js");
    const target = await resolveTarget({
      configDir: flags["config-dir"],
      env: process.env,
      ...(flags.env !== undefined ? { environment: flags.env } : {}),
      ...(flags["database-url"] !== undefined ? { databaseUrlFlag: flags["database-url"] } : {}),
    });
    if (target.warning) process.stderr.write(target.warning + "\n");
    return target;
  }

  /** The database, open for `use` and closed after it whatever happens (the embedded SQLite default migrates itself). */
  protected async withStore<T>(databaseUrl: string, use: (store: import("../store/types.js").Store) => Promise<T>): Promise<T> {
    const { openStore } = await import("../app/flow.js");
    const store = await openStore(databaseUrl);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }

  /** The database as the runtime reads it (accounts, users), after the embedded default has migrated itself. */
  protected async openRuntimeDb(flag: string | undefined): Promise<import("../runtime/db.js").SqlDb> {
    const { openStore } = await import("../app/flow.js");
    const { openRuntimeDb } = await import("../runtime/db.js");
    const url = this.databaseUrl(flag);
    await (await openStore(url)).close();
    return openRuntimeDb(url);
  }

  /**
   * Progress on stderr, only when a person watches: stdout and stderr both a
   * terminal (nothing in piped output, in CI logs or with --json).
   */
  protected progress(json: boolean | undefined): Progress {
    if (json || !process.stdout.isTTY || !process.stderr.isTTY) return NO_PROGRESS;
    const delay = Number(process.env.CFGSYNC_PROGRESS_DELAY_MS);
    return terminalProgress(process.stderr, Number.isFinite(delay) && delay >= 0 ? { delayMs: delay } : {});
  }

  /**
   * Sets the exit code without throwing, so that the command still returns
   * its result (printed by oclif under --json) and closes what it opened.
   */
  protected exitWith(code: ExitCodeValue): void {
    process.exitCode = code;
  }

  /**
   * `--json` output, written in pieces: oclif's builds the whole pretty text,
   * then splits it into a token object per brace, key and value to colour it
   * (no colour without a theme), which for a 10k-change plan was seconds of CPU
   * and hundreds of MB. The same text, a top-level array element at a time; a
   * configured oclif theme keeps oclif's coloured output.
   */
  override logJson(json: unknown): void {
    if (this.config.theme || typeof json === "string") return super.logJson(json);
    let buffer = "";
    for (const piece of prettyJsonChunks(json)) {
      buffer += piece;
      if (buffer.length >= 64 * 1024) (process.stdout.write(buffer), (buffer = ""));
    }
    process.stdout.write(buffer + "\n");
  }

  protected override async catch(err: Error): Promise<unknown> {
    if (isExit(err)) throw err;
    const code = reportError(err, { json: this.jsonEnabled(), env: process.env });
    process.exitCode = code;
    return this.exit(code);
  }
}
