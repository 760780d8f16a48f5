import { Command, Flags } from "@oclif/core";
import { ExitCode, UserError, formatDiagnosticLine } from "../domain/diagnostic.js";

/**
 * The one boundary that turns errors into output and exit codes. A UserError
 * prints its message (and diagnostics) without a stack; anything else is a bug
 * and says so. Commands are wiring: parse flags, call the layers, set the exit.
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

  /** Exit with a code without oclif printing anything. */
  protected exitWith(code: number): never {
    process.exitCode = code;
    this.exit(code);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.oclif?.exit !== undefined && !(err instanceof UserError) && err.message.startsWith("EEXIT")) throw err;
    if (err instanceof UserError) {
      process.stderr.write(renderUserError(err));
      process.exitCode = err.exitCode;
      return this.exit(err.exitCode);
    }
    // oclif's own parse errors (unknown flag, missing arg) are user errors too.
    if (err.oclif?.exit !== undefined) {
      process.stderr.write(`Error: ${err.message}\n`);
      return this.exit(err.oclif.exit || ExitCode.error);
    }
    process.stderr.write(
      `internal error: ${err.message}\nThis is a bug in cfgsync; please report it.` +
        (process.env.CFGSYNC_DEBUG ? `\n${err.stack}` : " (set CFGSYNC_DEBUG=1 for a stack trace)") +
        "\n",
    );
    return this.exit(ExitCode.error);
  }
}

export function renderUserError(err: UserError): string {
  const lines = [`Error: ${err.message}`];
  for (const d of err.diagnostics) lines.push("  " + formatDiagnosticLine(d));
  for (const s of err.suggestions) lines.push(`Hint: ${s}`);
  return lines.join("\n") + "\n";
}
